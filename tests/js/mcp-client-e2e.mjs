// The official MCP TypeScript SDK client (tools/node, @modelcontextprotocol/sdk) against the real discord-mcp host, over
// stdio (it spawns `dotnet <dll> stdio --sandbox`) or Streamable HTTP (a host the test started). It lists tools, pings,
// calls the read tools the server offers (discord_list_channels, discord_list_messages for #support), lists prompts and
// resources, gets a prompt and reads a resource when their arguments are known, and prints ONE JSON line. Exit 0 when
// every step worked.
//
// usage: node tests/js/mcp-client-e2e.mjs stdio <path to discord-mcp.dll> [--guild <id>] [--timeout <ms>]
//        node tests/js/mcp-client-e2e.mjs http <http://127.0.0.1:PORT/mcp> [--guild <id>] [--timeout <ms>]
// The SDK is resolved from tools/node/node_modules (override the folder with DISCORDMCP_NODE_TOOLS).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.DISCORDMCP_NODE_TOOLS ?? path.resolve(here, '..', '..', 'tools', 'node');
const require = createRequire(path.join(toolsDir, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const sdkVersion = JSON.parse(readFileSync(path.join(toolsDir, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json'), 'utf8')).version;

const [mode, target, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
if (!['stdio', 'http'].includes(mode) || !target) {
  console.error('usage: node mcp-client-e2e.mjs stdio <discord-mcp.dll> | http <url>  [--guild <id>] [--timeout <ms>]');
  process.exit(2);
}
const guildId = option('--guild');
const timeoutMs = Number(option('--timeout') ?? 30000);
const started = performance.now();
const result = { ok: false, transport: mode, sdkVersion, step: 'start' };
let client;
let transport;
let serverLog = '';

async function finish(exitCode) {
  result.elapsedMs = Math.round(performance.now() - started);
  console.log(JSON.stringify(result));
  try {
    await client?.close();
  } catch {
    // the process exits next; a failed close changes nothing
  }
  process.exit(exitCode);
}

const timer = setTimeout(() => {
  result.error = `timed out after ${timeoutMs} ms at step '${result.step}'`;
  finish(1);
}, timeoutMs);

const textOf = (callResult) =>
  (callResult.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

function summarizeCall(callResult) {
  return {
    isError: callResult.isError === true,
    text: textOf(callResult),
    hasStructuredContent: callResult.structuredContent !== undefined && callResult.structuredContent !== null,
    structuredContent: callResult.structuredContent ?? null,
  };
}

// Values for prompt arguments this script knows how to fill (the demo guild of the sandbox).
const knownArguments = {
  channel: '#support',
  channel_id: '#support',
  channel_name: '#support',
  ...(guildId ? { guild_id: guildId, guild: guildId } : {}),
};

try {
  result.step = 'connect';
  if (mode === 'stdio') {
    transport = new StdioClientTransport({
      command: 'dotnet',
      args: [target, 'stdio', '--sandbox'],
      cwd: os.tmpdir(), // no .env file can change the outcome
      stderr: 'pipe', // the server logs on stderr; keep them off this script's stdout
    });
    // Drain the server's log (a full pipe would block it) and keep the tail for the error report.
    transport.stderr?.on('data', (chunk) => {
      serverLog = (serverLog + chunk.toString()).slice(-4000);
    });
  } else {
    // The API key comes from the environment (never argv, which other processes can read).
    const apiKey = process.env.DISCORDMCP_API_KEY;
    transport = new StreamableHTTPClientTransport(new URL(target),
      apiKey ? { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } } : undefined);
  }
  client = new Client({ name: 'discordmcp-e2e', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  await client.connect(transport);
  result.server = client.getServerVersion() ?? null;
  result.hasInstructions = typeof client.getInstructions() === 'string' && client.getInstructions().length > 0;
  if (mode === 'http') {
    result.protocolVersion = transport.protocolVersion ?? null;
    result.sessionId = transport.sessionId ?? null;
  }

  result.step = 'ping';
  await client.ping();
  result.ping = true;

  result.step = 'tools/list';
  const tools = (await client.listTools()).tools;
  result.tools = tools.map((t) => t.name);
  result.toolsWithAllAnnotations = tools
    .filter((t) => ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].every((h) => typeof t.annotations?.[h] === 'boolean'))
    .map((t) => t.name);

  result.calls = {};
  if (result.tools.includes('discord_list_channels')) {
    result.step = 'tools/call discord_list_channels';
    result.calls.discord_list_channels = summarizeCall(
      await client.callTool({ name: 'discord_list_channels', arguments: guildId ? { guild_id: guildId } : {} }));
  }
  if (result.tools.includes('discord_list_messages')) {
    result.step = 'tools/call discord_list_messages';
    result.calls.discord_list_messages = summarizeCall(
      await client.callTool({ name: 'discord_list_messages', arguments: { channel: '#support', limit: 20 } }));
  }

  const capabilities = client.getServerCapabilities() ?? {};
  if (capabilities.prompts) {
    result.step = 'prompts/list';
    const prompts = (await client.listPrompts()).prompts;
    result.prompts = prompts.map((p) => p.name);
    const fillable = prompts.find((p) => (p.arguments ?? []).filter((a) => a.required).every((a) => a.name in knownArguments));
    if (fillable) {
      result.step = `prompts/get ${fillable.name}`;
      const args = Object.fromEntries((fillable.arguments ?? []).filter((a) => a.name in knownArguments).map((a) => [a.name, knownArguments[a.name]]));
      const prompt = await client.getPrompt({ name: fillable.name, arguments: args });
      result.prompt = {
        name: fillable.name,
        arguments: args,
        messages: prompt.messages.length,
        text: prompt.messages.map((m) => (m.content?.type === 'text' ? m.content.text : '')).join('\n'),
      };
    }
  }
  if (capabilities.resources) {
    result.step = 'resources/list';
    result.resources = (await client.listResources()).resources.map((r) => r.uri);
    result.step = 'resources/templates/list';
    const templates = (await client.listResourceTemplates()).resourceTemplates;
    result.resourceTemplates = templates.map((t) => t.uriTemplate);
    // A template whose only parameter is the guild id; the channel tree when there is one.
    const byGuild = templates.filter((t) => /^[^{]*\{guild_id\}[^{]*$/.test(t.uriTemplate));
    const readable = guildId && (byGuild.find((t) => t.uriTemplate.endsWith('/channels')) ?? byGuild[0]);
    if (readable) {
      const uri = readable.uriTemplate.replace('{guild_id}', guildId);
      result.step = `resources/read ${uri}`;
      const read = await client.readResource({ uri });
      result.resource = { uri, mimeType: read.contents[0]?.mimeType ?? null, text: read.contents[0]?.text ?? '' };
    }
  }

  result.step = 'done';
  result.ok = true;
  clearTimeout(timer);
  await finish(0);
} catch (error) {
  clearTimeout(timer);
  result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (serverLog) result.serverLog = serverLog;
  await finish(1);
}
