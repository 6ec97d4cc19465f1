// discord.js 14 against the sandbox: logs in over the gateway, checks READY + GUILD_CREATE, lists channels over
// REST, sends a message (the test has injected a 429 storm on that route, which discord.js must wait out using
// Retry-After) and prints ONE JSON line with what it saw. Exit code 0 when every step worked.
//
// usage: node tests/js/discordjs-smoke.mjs <sandbox base url> <bot token> <channel name> [timeout ms]
// discord.js is resolved from tools/node/node_modules (override the folder with DISCORDMCP_NODE_TOOLS).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.DISCORDMCP_NODE_TOOLS ?? path.resolve(here, '..', '..', 'tools', 'node');
const require = createRequire(path.join(toolsDir, 'package.json'));
const { Client, Events, GatewayIntentBits, ChannelType } = require('discord.js');

const [baseUrl, token, channelName, timeoutArg] = process.argv.slice(2);
if (!baseUrl || !token || !channelName) {
  console.error('usage: node discordjs-smoke.mjs <sandbox base url> <bot token> <channel name> [timeout ms]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg ?? 60000);
const result = { ok: false, step: 'start', responses429: 0 };
let client;

function finish(exitCode) {
  console.log(JSON.stringify(result));
  if (client) client.destroy().catch(() => {});
  process.exit(exitCode);
}

const timer = setTimeout(() => {
  result.error = `timed out after ${timeoutMs} ms at step '${result.step}'`;
  finish(1);
}, timeoutMs);

try {
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: `${baseUrl.replace(/\/$/, '')}/api` },
  });
  client.rest.on('response', (_request, response) => {
    if (response.status === 429) {
      result.responses429 += 1;
      result.retryAfterHeader = response.headers.get('retry-after');
    }
  });

  result.step = 'login';
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  await ready;
  result.ready = true;
  result.user = { id: client.user.id, username: client.user.username, bot: client.user.bot };
  result.applicationId = client.application?.id ?? null;

  result.step = 'guild_create';
  result.guilds = client.guilds.cache.map((g) => ({ id: g.id, name: g.name, available: g.available }));
  const guild = client.guilds.cache.find((g) => g.channels.cache.some((c) => c.name === channelName));
  if (!guild) throw new Error(`no guild from GUILD_CREATE has a channel named ${channelName}`);
  result.guild = { id: guild.id, name: guild.name, memberCount: guild.memberCount };
  result.gatewayChannels = guild.channels.cache.map((c) => c.name).sort();

  result.step = 'list_channels';
  const fetched = await guild.channels.fetch();
  result.restChannels = [...fetched.values()].filter(Boolean).map((c) => c.name).sort();
  const target = [...fetched.values()].find((c) => c && c.name === channelName && c.type === ChannelType.GuildText);
  if (!target) throw new Error(`REST channel list has no text channel named ${channelName}`);
  result.channelId = target.id;

  result.step = 'send_message';
  const started = Date.now();
  const content = `discord.js smoke test ${new Date().toISOString()}`;
  const message = await target.send({ content, allowedMentions: { parse: [] } });
  result.sendMillis = Date.now() - started;
  result.sent = { id: message.id, content: message.content, channelId: message.channelId, authorId: message.author?.id };
  result.sentMatches = message.content === content && message.channelId === target.id;

  result.step = 'done';
  result.ok = true;
  clearTimeout(timer);
  finish(0);
} catch (error) {
  clearTimeout(timer);
  result.error = `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
  finish(1);
}
