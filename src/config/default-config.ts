/**
 * The configuration `--sandbox` uses when no verify.config.yaml is found: this repo's four APIs
 * (mapped from specs/platform, specs/conversations-v2, specs/whatsapp, specs/agentclara) against the
 * built-in sandbox. Without --sandbox and without a config file a run is one ad-hoc API from
 * --base-url instead (config/load.ts). The repo's own verify.config.yaml says the same as this and
 * adds a staging environment.
 */
export const DEFAULT_CONFIG_YAML = `default: sandbox
apis:
  platform:
    specs: specs/platform
    auth: { header: Authorization, scheme: Bearer }
  conversations:
    specs: specs/conversations-v2
  whatsapp:
    specs: specs/whatsapp
  agentclara:
    specs: specs/agentclara
    auth: { header: Authorization, scheme: Bearer }
environments:
  sandbox:
    sandbox: true
    apis:
      platform:
        baseUrl: \${VERIFY_SANDBOX_URL}/platform/apigw
        fallbackUrl: \${VERIFY_SANDBOX_URL}/platform/api2
        tokens:
          staff: { env: SANDBOX_PLATFORM_STAFF }
          app: { env: SANDBOX_PLATFORM_APP }
          directory: { env: SANDBOX_PLATFORM_DIRECTORY }
        vars: { business_id: biz_001 }
      conversations:
        baseUrl: \${VERIFY_SANDBOX_URL}/v2
        tokens:
          user: { env: SANDBOX_CONV_USER }
          admin: { env: SANDBOX_CONV_ADMIN }
          super_admin: { env: SANDBOX_CONV_SUPER_ADMIN }
          other_org_user: { env: SANDBOX_CONV_OTHER_ORG_USER }
        vars: { organization_id: org_001 }
      whatsapp:
        baseUrl: \${VERIFY_SANDBOX_URL}/whatsapp
      agentclara:
        baseUrl: \${VERIFY_SANDBOX_URL}/agentclara
        tokens:
          api_key: { env: SANDBOX_AGENTCLARA_API_KEY }
`;
