import type { WhatsappConversation } from './data.js';
import { defineMount, json, type ErrorShapes, type Mount, type Reply, type RequestCtx } from './router.js';

/**
 * WhatsApp conversations (seed 002): a PHP endpoint with no authentication.
 * The routes are exactly those of the seed's index.php pattern.
 */
const LIMIT = 100;
const fail = (status: number, message: string, headers?: Record<string, string>): Reply =>
  json(status, { success: false, error: message }, headers);

export const whatsappErrors: ErrorShapes = {
  notFound: () => fail(404, 'Endpoint not found'),
  methodNotAllowed: () => fail(404, 'Endpoint not found'),
  badJson: () => fail(400, 'Invalid JSON'),
  tooLarge: () => fail(413, 'Request too large'),
  // The seed's own error body: the service catches everything and answers this.
  fault: (status) => (status === 429 ? fail(429, 'Too many requests') : fail(status, 'Error al obtener conversaciones')),
};

export function createWhatsappMount(rows: WhatsappConversation[]): Mount {
  const getConversations = (ctx: RequestCtx): Reply => {
    const status = ctx.query.get('status');
    const conversations = rows
      .filter((r) => status === null || status === '' || r.status === status)
      .sort((a, b) => b.last_message_at.localeCompare(a.last_message_at) || b.id - a.id)
      .slice(0, LIMIT);
    return json(200, { success: true, conversations });
  };
  return defineMount('/whatsapp', whatsappErrors, [
    ['GET', '/api/conversations', getConversations],
    ['GET', '/api/get-conversations', getConversations],
    ['GET', '/api/get-conversations.php', getConversations],
  ]);
}
