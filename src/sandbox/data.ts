import { createPrng, pick, randInt, shuffled, type Prng } from './prng.js';

/**
 * Seeded ids spec authors may reference (docs/sandbox.md explains each). The
 * data is built from a fixed seed, so these are the same on every start.
 */
export const SANDBOX_IDS = {
  platform: {
    business: 'biz_001',
    otherBusiness: 'biz_002',
    /** 60 conversations: more than one max page. */
    clientWithConversations: 'cli_001',
    clientWithFewConversations: 'cli_002',
    clientWithoutConversations: 'cli_003',
    clientOfOtherBusiness: 'cli_061',
  },
  v2: {
    organization: 'org_001',
    otherOrganization: 'org_002',
    users: {
      user: '550e8400-e29b-41d4-a716-446655440001',
      admin: '550e8400-e29b-41d4-a716-446655440002',
      superAdmin: '550e8400-e29b-41d4-a716-446655440003',
      otherOrgUser: '550e8400-e29b-41d4-a716-446655440004',
      colleague: '550e8400-e29b-41d4-a716-446655440000',
    },
    conversations: {
      workOrder: 'aa0e8400-e29b-41d4-a716-446655440001',
      invoice: 'aa0e8400-e29b-41d4-a716-446655440002',
      adminOnly: 'aa0e8400-e29b-41d4-a716-446655440003',
      otherOrg: 'aa0e8400-e29b-41d4-a716-446655440004',
    },
    workOrderEntity: 'bb0e8400-e29b-41d4-a716-446655440000',
    missingConversation: '00000000-0000-0000-0000-000000000000',
  },
  whatsapp: { latestConversation: 1, pendingHumanConversation: 2, total: 120 },
  agentclara: { conversation: 'conv_abc123', customer: 'cust_xyz789', total: 120 },
} as const;

const DATA_SEED = 0x5eed;

// ---------------------------------------------------------------- platform

export interface PlatformClient {
  id: string;
  business_id: string;
  first_name: string;
  last_name: string;
  name: string;
  email: string;
  phone: string;
  created_at: string;
}

export interface PlatformConversation {
  id: string;
  client_id: string;
  business_id: string;
  subject: string;
  channel: string;
  status: string;
  last_message: string;
  last_message_at: string;
  unread_count: number;
  created_at: string;
}

export interface PlatformData {
  clients: PlatformClient[];
  /** By client id, newest last_message_at first. */
  conversations: Map<string, PlatformConversation[]>;
}

// ---------------------------------------------------------------- v2

export interface V2Message {
  id: string;
  conversation_id: string;
  sender_id: string;
  body: string;
  created_at: string;
}

export interface V2Conversation {
  id: string;
  organization_id: string;
  subject: string | null;
  entity_type: string | null;
  entity_id: string | null;
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  participants: Array<{ user_id: string; joined_at: string }>;
  messages: V2Message[];
}

export interface V2Data {
  conversations: Map<string, V2Conversation>;
}

// ---------------------------------------------------------------- whatsapp

export interface WhatsappConversation {
  id: number;
  phone_number: string;
  contact_name: string;
  status: string;
  ai_enabled: number;
  last_message_at: string;
  created_at: string;
  last_message: string;
  last_sender_type: string;
  last_message_created_at: string;
}

// ---------------------------------------------------------------- agentclara

export interface AgentClaraMessage {
  id: string;
  sender: string;
  content: string;
  timestamp: string;
}

export interface AgentClaraConversation {
  id: string;
  customer_id: string;
  customer_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  channel: string;
  subject: string | null;
  last_message: string | null;
  timestamp: string;
  status: string;
  unread: boolean;
  tags: string[];
  closed_at?: string;
  messages: AgentClaraMessage[];
}

export interface AgentClaraData {
  conversations: Map<string, AgentClaraConversation>;
  nextMessage: number;
  nextConversation: number;
}

export interface SandboxData {
  platform: PlatformData;
  v2: V2Data;
  whatsapp: WhatsappConversation[];
  agentclara: AgentClaraData;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Torvalds'];
const SUBJECTS = ['Appointment question', 'Billing', 'Reschedule request', 'Follow-up', 'New booking', 'Feedback', 'Invoice copy'];
const MESSAGES = ['Can I move my appointment?', 'Thanks, see you then!', 'What time works?', 'Please send the invoice.', 'All set.', 'Is parking available?'];

/** Fresh data for one sandbox start; every start gets an identical copy. */
export function buildSandboxData(): SandboxData {
  const rng = createPrng(DATA_SEED);
  return {
    platform: buildPlatform(rng),
    v2: buildV2(),
    whatsapp: buildWhatsapp(rng),
    agentclara: buildAgentClara(rng),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const BASE = Date.parse('2025-06-01T12:00:00Z');

function seqUuid(prefix: string, n: number): string {
  return `${prefix}-e29b-41d4-a716-${(446655440000 + n).toString().padStart(12, '0')}`;
}

function buildPlatform(rng: Prng): PlatformData {
  const clients: PlatformClient[] = [];
  for (let i = 1; i <= 65; i++) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const id = `cli_${String(i).padStart(3, '0')}`;
    clients.push({
      id,
      business_id: i <= 60 ? 'biz_001' : 'biz_002',
      first_name: first,
      last_name: last,
      name: `${first} ${last}`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.com`,
      phone: `+1555${String(1000000 + i * 7919).slice(-7)}`,
      created_at: iso(BASE - (70 - i) * 86_400_000),
    });
  }
  const conversations = new Map<string, PlatformConversation[]>();
  let n = 0;
  for (const client of clients) {
    const count = client.id === 'cli_001' ? 60 : client.id === 'cli_002' ? 3 : client.id === 'cli_003' ? 0 : randInt(rng, 0, 4);
    const list: PlatformConversation[] = [];
    for (let k = 0; k < count; k++) {
      n++;
      const created = BASE - randInt(rng, 10, 60) * 86_400_000;
      list.push({
        id: seqUuid('dd0e8400', n),
        client_id: client.id,
        business_id: client.business_id,
        subject: pick(rng, SUBJECTS),
        channel: pick(rng, ['sms', 'email', 'whatsapp']),
        status: pick(rng, ['open', 'open', 'closed']),
        last_message: pick(rng, MESSAGES),
        // Distinct times so the order is well defined.
        last_message_at: iso(BASE - n * 3_600_000 - randInt(rng, 0, 3_599) * 1000),
        unread_count: randInt(rng, 0, 3),
        created_at: iso(created),
      });
    }
    list.sort((a, b) => b.last_message_at.localeCompare(a.last_message_at));
    conversations.set(client.id, list);
  }
  return { clients, conversations };
}

function buildV2(): V2Data {
  const ids = SANDBOX_IDS.v2;
  const u = ids.users;
  const conversations = new Map<string, V2Conversation>();
  let msg = 0;
  const add = (n: number, org: string, members: string[], extra: Partial<V2Conversation>, messages: string[] = []): void => {
    const id = seqUuid('aa0e8400', n);
    const created = iso(BASE - (20 - n) * 86_400_000);
    const updated = iso(BASE - (20 - n) * 86_400_000 + 3_600_000);
    const creator = members[0] as string;
    conversations.set(id, {
      id,
      organization_id: org,
      subject: `Conversation ${n}`,
      entity_type: null,
      entity_id: null,
      status: 'active',
      created_by: creator,
      created_at: created,
      updated_at: updated,
      participants: members.map((user_id) => ({ user_id, joined_at: created })),
      messages: messages.map((body, i) => ({
        id: seqUuid('cc0e8400', ++msg),
        conversation_id: id,
        sender_id: members[i % members.length] as string,
        body,
        created_at: iso(Date.parse(created) + (i + 1) * 60_000),
      })),
      ...extra,
    });
  };
  add(1, ids.organization, [u.user, u.colleague], { subject: 'Work order discussion', entity_type: 'work_order', entity_id: ids.workOrderEntity }, [
    'The technician arrives at 9.',
    'Thanks, I will be there.',
  ]);
  add(2, ids.organization, [u.admin, u.user], { subject: 'Invoice 2025-001', entity_type: 'invoice', entity_id: seqUuid('bb0e8400', 1) }, ['Invoice attached.']);
  add(3, ids.organization, [u.admin], { subject: 'Admin notes' });
  add(4, ids.otherOrganization, [u.otherOrgUser], { subject: 'Other organization thread' }, ['Hello from org 2.']);
  for (let n = 5; n <= 12; n++) add(n, ids.organization, [u.admin, u.user], {}, [`Message in conversation ${n}.`]);
  return { conversations };
}

function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function buildWhatsapp(rng: Prng): WhatsappConversation[] {
  const latest = Date.parse('2024-01-15T14:30:25Z');
  const rows: WhatsappConversation[] = [
    {
      id: 1,
      phone_number: '1234567890',
      contact_name: 'John Doe',
      status: 'active',
      ai_enabled: 1,
      last_message_at: '2024-01-15 14:30:25',
      created_at: '2024-01-10 09:00:00',
      last_message: 'Thank you for your help!',
      last_sender_type: 'customer',
      last_message_created_at: '2024-01-15 14:30:25',
    },
    {
      id: 2,
      phone_number: '0987654321',
      contact_name: 'Jane Smith',
      status: 'pending_human',
      ai_enabled: 0,
      last_message_at: '2024-01-15 13:15:00',
      created_at: '2024-01-12 11:30:00',
      last_message: 'I need to speak with a human agent',
      last_sender_type: 'customer',
      last_message_created_at: '2024-01-15 13:15:00',
    },
  ];
  // Recency is shuffled against id so ordering by id and by time differ.
  const ranks = shuffled(rng, Array.from({ length: 118 }, (_, i) => i + 1));
  for (let id = 3; id <= 120; id++) {
    const rank = ranks[id - 3] as number;
    const at = latest - 2 * 3_600_000 - rank * 47 * 60_000 - randInt(rng, 0, 59) * 1000;
    const first = pick(rng, FIRST);
    rows.push({
      id,
      phone_number: String(3000000000 + id * 104729).slice(0, 10),
      contact_name: `${first} ${pick(rng, LAST)}`,
      status: pick(rng, ['active', 'active', 'pending_human', 'closed']),
      ai_enabled: randInt(rng, 0, 1),
      last_message_at: mysqlTime(at),
      created_at: mysqlTime(at - randInt(rng, 1, 30) * 86_400_000),
      last_message: pick(rng, MESSAGES),
      last_sender_type: pick(rng, ['customer', 'ai', 'human']),
      last_message_created_at: mysqlTime(at),
    });
  }
  return rows;
}

const ALNUM = 'abcdefghijklmopqrstuvwxyz0123456789'; // no "n": created ids start with it

function buildAgentClara(rng: Prng): AgentClaraData {
  const conversations = new Map<string, AgentClaraConversation>();
  let msg = 0;
  const latest = Date.parse('2024-03-15T10:30:00Z');
  conversations.set('conv_abc123', {
    id: 'conv_abc123',
    customer_id: 'cust_xyz789',
    customer_name: 'John Smith',
    customer_email: 'john@example.com',
    customer_phone: '+15551234567',
    channel: 'sms',
    subject: 'Appointment Question',
    last_message: 'Of course! What date works better?',
    timestamp: iso(latest),
    status: 'open',
    unread: true,
    tags: [],
    messages: [
      { id: `msg_${++msg}`, sender: 'customer', content: 'Can I reschedule my appointment?', timestamp: '2024-03-15T10:30:00Z' },
      { id: `msg_${++msg}`, sender: 'assistant', content: 'Of course! What date works better?', timestamp: '2024-03-15T10:31:00Z' },
    ],
  });
  const code = (): string => Array.from({ length: 6 }, () => pick(rng, [...ALNUM])).join('');
  const ranks = shuffled(rng, Array.from({ length: 119 }, (_, i) => i + 1));
  for (let i = 0; i < 119; i++) {
    let id = `conv_${code()}`;
    while (conversations.has(id)) id = `conv_${code()}`;
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const channel = pick(rng, ['sms', 'email', 'instagram', 'facebook', 'whatsapp', 'voice']);
    const ts = latest - (ranks[i] as number) * 5_400_000;
    const content = pick(rng, MESSAGES);
    const status = pick(rng, ['open', 'open', 'closed', 'resolved']);
    conversations.set(id, {
      id,
      customer_id: `cust_${code()}`,
      customer_name: `${first} ${last}`,
      customer_email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      customer_phone: `+1555${String(2000000 + i * 6151).slice(-7)}`,
      channel,
      subject: pick(rng, SUBJECTS),
      last_message: content,
      timestamp: iso(ts),
      status,
      unread: rng() < 0.4,
      tags: rng() < 0.2 ? ['vip'] : [],
      ...(status === 'closed' ? { closed_at: iso(ts + 3_600_000) } : {}),
      messages: [{ id: `msg_${++msg}`, sender: 'customer', content, timestamp: iso(ts) }],
    });
  }
  return { conversations, nextMessage: msg + 1, nextConversation: 1 };
}
