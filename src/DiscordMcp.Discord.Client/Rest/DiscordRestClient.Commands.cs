using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    // Global commands: guildId null. Guild commands: the guild id is the major parameter.

    /// <summary><c>GET /applications/{application_id}[/guilds/{guild_id}]/commands</c>.</summary>
    public Task<IReadOnlyList<ApplicationCommand>> GetCommandsAsync(Snowflake applicationId, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(Request(HttpMethod.Get, route, path, guildId?.ToString()), Ctx.IReadOnlyListApplicationCommand, cancellationToken);
    }

    /// <summary><c>POST .../commands</c>: creates (or replaces one with the same name).</summary>
    public Task<ApplicationCommand> CreateCommandAsync(Snowflake applicationId, CreateApplicationCommandRequest command, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        CheckCommand("", command);
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(Request(HttpMethod.Post, route, path, guildId?.ToString(), body: Body(command, Ctx.CreateApplicationCommandRequest)), Ctx.ApplicationCommand, cancellationToken);
    }

    /// <summary><c>GET .../commands/{command_id}</c>.</summary>
    public Task<ApplicationCommand> GetCommandAsync(Snowflake applicationId, Snowflake commandId, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(Request(HttpMethod.Get, route + "/{command_id}", $"{path}/{commandId}", guildId?.ToString()), Ctx.ApplicationCommand, cancellationToken);
    }

    /// <summary><c>PATCH .../commands/{command_id}</c>.</summary>
    public Task<ApplicationCommand> EditCommandAsync(
        Snowflake applicationId, Snowflake commandId, EditApplicationCommandRequest command, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Name.HasValue)
            CommandName("name", command.Name.Value, ApplicationCommandType.ChatInput);
        if (command.Description.HasValue)
            Length("description", command.Description.Value, DiscordLimits.CommandDescriptionMin, DiscordLimits.CommandDescriptionMax, required: true);
        if (command.Options.GetValueOrDefault() is { } options)
            CheckOptions("options", options);
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(
            Request(HttpMethod.Patch, route + "/{command_id}", $"{path}/{commandId}", guildId?.ToString(), body: Body(command, Ctx.EditApplicationCommandRequest)),
            Ctx.ApplicationCommand, cancellationToken);
    }

    /// <summary><c>DELETE .../commands/{command_id}</c>.</summary>
    public Task DeleteCommandAsync(Snowflake applicationId, Snowflake commandId, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(Request(HttpMethod.Delete, route + "/{command_id}", $"{path}/{commandId}", guildId?.ToString()), cancellationToken);
    }

    /// <summary><c>PUT .../commands</c>: replaces every command of the application (in the guild) with <paramref name="commands"/>.</summary>
    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(
        Snowflake applicationId, IReadOnlyList<CreateApplicationCommandRequest> commands, Snowflake? guildId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        for (var i = 0; i < commands.Count; i++)
            CheckCommand($"[{i}].", commands[i]);
        var (route, path) = CommandsRoute(applicationId, guildId);
        return SendAsync(Request(HttpMethod.Put, route, path, guildId?.ToString(), body: Body(commands, Ctx.IReadOnlyListCreateApplicationCommandRequest)),
            Ctx.IReadOnlyListApplicationCommand, cancellationToken);
    }

    private static (string Route, string Path) CommandsRoute(Snowflake applicationId, Snowflake? guildId) =>
        guildId is { } g
            ? ("/applications/{application_id}/guilds/{guild_id}/commands", $"applications/{applicationId}/guilds/{g}/commands")
            : ("/applications/{application_id}/commands", $"applications/{applicationId}/commands");

    private static void CheckCommand(string prefix, CreateApplicationCommandRequest command)
    {
        var type = command.Type ?? ApplicationCommandType.ChatInput;
        if (!Enum.IsDefined(type))
            throw Fail(prefix + "type", $"{prefix}type must be 1 (chat input), 2 (user), 3 (message) or 4 (entry point), got {(int)type}.");
        CommandName(prefix + "name", command.Name, type);
        if (type == ApplicationCommandType.ChatInput)
        {
            Length(prefix + "description", command.Description, DiscordLimits.CommandDescriptionMin, DiscordLimits.CommandDescriptionMax, required: true);
            CheckOptions(prefix + "options", command.Options);
        }
        else if (!string.IsNullOrEmpty(command.Description) || command.Options is { Count: > 0 })
        {
            throw Fail(prefix + "description", $"{prefix}description and options must be empty for user and message commands.");
        }
    }

    private static void CommandName(string field, string? name, ApplicationCommandType type)
    {
        Length(field, name, DiscordLimits.CommandNameMin, DiscordLimits.CommandNameMax, required: true);
        // Chat-input names: lowercase letters, digits, '-', '_' and '\''; no spaces (Discord's ^[-_'\p{L}\p{N}...]{1,32}$).
        if (type == ApplicationCommandType.ChatInput && name!.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '\'') || char.IsUpper(c)))
            throw Fail(field, $"{field} must be lowercase letters, digits, '-', '_' or '\\'' without spaces, {DiscordLimits.CommandNameMin}-{DiscordLimits.CommandNameMax} characters (got \"{Clip(name)}\").");
    }

    private static void CheckOptions(string field, IReadOnlyList<ApplicationCommandOption>? options)
    {
        if (options is null)
            return;
        MaxCount(field, options, DiscordLimits.CommandOptions);
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var at = $"{field}[{i}]";
            if (!Enum.IsDefined(o.Type))
                throw Fail($"{at}.type", $"{at}.type must be an option type 1-11, got {(int)o.Type}.");
            CommandName($"{at}.name", o.Name, ApplicationCommandType.ChatInput);
            Length($"{at}.description", o.Description, DiscordLimits.CommandDescriptionMin, DiscordLimits.CommandDescriptionMax, required: true);
            MaxCount($"{at}.choices", o.Choices, DiscordLimits.CommandChoices);
            if (o.Autocomplete == true && o.Choices is { Count: > 0 })
                throw Fail($"{at}.choices", $"{at}.choices cannot be combined with autocomplete.");
            CheckOptions($"{at}.options", o.Options);
        }
    }
}
