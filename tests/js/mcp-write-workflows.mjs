// The product's example workflows with the official MCP TypeScript SDK client (tools/node) over Streamable HTTP against
// a discord-mcp host with the sandbox that the calling test started (API key in DISCORDMCP_API_KEY):
//   1. a private support channel for @Luis that only Luis and the Support role can see (dry run, then confirm);
//   2. "Community Sync" tomorrow at 14:00 GMT-3 in the voice channel "Events" (dry_run false: the client answers the
//      server's confirmation prompt — an elicitation — with accept);
//   3. a "Deployments" webhook in #deployments, then list and get it (the test checks no output carries its URL or token);
//   4. a moderation warning for a message, drafted and not sent;
//   5. a role change (create "Beta Testers", give it to Luis), then the guild's audit log for role changes.
// Prints ONE JSON line with every call's text and structured content; exit 0 when every step worked.
//
// usage: node tests/js/mcp-write-workflows.mjs <http://127.0.0.1:PORT/mcp> --guild <id> --message <id> [--timeout <ms>]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.DISCORDMCP_NODE_TOOLS ?? path.resolve(here, '..', '..', 'tools', 'node');
const require = createRequire(path.join(toolsDir, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const [target, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const guildId = option('--guild');
const messageId = option('--message');
if (!target || !guildId || !messageId) {
  console.error('usage: node mcp-write-workflows.mjs <url> --guild <id> --message <id> [--timeout <ms>]');
  process.exit(2);
}
const timeoutMs = Number(option('--timeout') ?? 60000);
const result = { ok: false, step: 'start', calls: {}, prompts: [] };
let client;

async function finish(exitCode) {
  console.log(JSON.stringify(result));
  try {
    await client?.close();
  } catch {
    // exiting next
  }
  process.exit(exitCode);
}

const timer = setTimeout(() => {
  result.error = `timed out after ${timeoutMs} ms at step '${result.step}'`;
  finish(1);
}, timeoutMs);

const textOf = (r) => (r.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

async function call(key, name, args) {
  result.step = `${key}: ${name}`;
  const r = await client.callTool({ name, arguments: { guild_id: guildId, ...args } });
  const summary = { isError: r.isError === true, text: textOf(r), structuredContent: r.structuredContent ?? null };
  result.calls[key] = summary;
  if (summary.isError) throw new Error(`${name} failed: ${summary.text}`);
  return summary;
}

async function confirm(key, planned) {
  const id = planned.structuredContent?.confirmation_id;
  if (!id) throw new Error(`${key}: no confirmation_id in ${planned.text}`);
  result.step = `${key}: discord_confirm_action`;
  const r = await client.callTool({ name: 'discord_confirm_action', arguments: { confirmation_id: id } });
  const summary = { isError: r.isError === true, text: textOf(r), structuredContent: r.structuredContent ?? null };
  result.calls[key] = summary;
  if (summary.isError) throw new Error(`confirm ${key} failed: ${summary.text}`);
  return summary;
}

// Tomorrow at 14:00 in GMT-3, written with its offset.
function tomorrowAt14Gmt3() {
  const nowThere = new Date(Date.now() - 3 * 3600 * 1000);
  nowThere.setUTCDate(nowThere.getUTCDate() + 1);
  const date = nowThere.toISOString().slice(0, 10);
  return `${date}T14:00:00-03:00`;
}

try {
  result.step = 'connect';
  const transport = new StreamableHTTPClientTransport(new URL(target),
    { requestInit: { headers: { Authorization: `Bearer ${process.env.DISCORDMCP_API_KEY ?? ''}` } } });
  client = new Client({ name: 'discordmcp-workflows', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  // The person at the keyboard: accepts the confirmation prompt and records what it showed.
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    result.prompts.push(request.params.message);
    return { action: 'accept', content: { confirm: true } };
  });
  await client.connect(transport);

  // 1. Private support channel for @Luis with the Support role.
  const channelArgs = { name: 'support-luis', private: true, allowed: ['@Luis', 'Support'] };
  await confirm('channel_confirm', await call('channel_plan', 'discord_create_channel', channelArgs));

  // 2. Community Sync, tomorrow 14:00 GMT-3, voice channel Events — confirmed through the prompt.
  result.startTime = tomorrowAt14Gmt3();
  await call('event', 'discord_create_scheduled_event',
    { name: 'Community Sync', entity_type: 'voice', channel: 'Events', start_time: result.startTime, dry_run: false });

  // 3. Deployments webhook in #deployments, then read it back.
  const webhook = await confirm('webhook_confirm',
    await call('webhook_plan', 'discord_create_webhook', { channel: '#deployments', name: 'Deployments' }));
  await call('webhook_list', 'discord_list_webhooks', { channel: '#deployments' });
  const webhookId = webhook.structuredContent?.ids?.webhook_id;
  if (!webhookId) throw new Error(`no webhook_id in ${webhook.text}`);
  await call('webhook_get', 'discord_get_webhook', { webhook_id: webhookId });

  // 4. Draft a moderation warning for a message, without sending it.
  await call('warning', 'discord_draft_moderation_warning',
    { channel: '#general', message_id: messageId, rule: 'Rule 2: be respectful' });

  // 5. A role change, then the audit events about roles.
  await confirm('role_create_confirm', await call('role_create_plan', 'discord_create_role', { name: 'Beta Testers' }));
  await confirm('role_assign_confirm', await call('role_assign_plan', 'discord_assign_role', { member: '@Luis', role: 'Beta Testers' }));
  await call('role_audit', 'discord_get_audit_log', { category: 'roles', limit: 20 });
  await call('member_audit', 'discord_get_audit_log', { category: 'members', limit: 20 });

  result.step = 'done';
  result.ok = true;
  clearTimeout(timer);
  await finish(0);
} catch (error) {
  result.error = String(error?.stack ?? error);
  clearTimeout(timer);
  await finish(1);
}
