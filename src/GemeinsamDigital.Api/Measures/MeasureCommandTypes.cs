using System.Reflection;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Measures;

/// <summary>
/// Every command on an existing measure by its name (the last segment of its endpoint), for the
/// paths that receive commands by name rather than by route: batches and imports. Each runs the
/// same way its endpoint does (<see cref="MeasureCommands.RunAsync{TCommand}"/>).
/// </summary>
public static class MeasureCommandTypes
{
    private delegate Task<IResult> Runner(CommandPipeline pipeline, Guid id, IMeasureCommand command, HttpContext http, CancellationToken ct);

    private static readonly Dictionary<string, (Type Type, Runner Run)> _byName = Discover();

    /// <summary>The names, in lifecycle order.</summary>
    public static IReadOnlyList<string> Names => MeasureLifecycle.Commands;

    public static bool TryGet(string name, out Type type)
    {
        var found = _byName.TryGetValue(name, out var entry);
        type = entry.Type;
        return found;
    }

    /// <summary>The command's name, as its endpoint and the lifecycle table know it.</summary>
    public static string NameOf(IMeasureCommand command) =>
        _byName.First(e => e.Value.Type == command.GetType()).Key;

    /// <summary>Reads a command of this name from JSON with the API's own options (as its endpoint would).</summary>
    public static IMeasureCommand? Read(string name, JsonElement body) =>
        (IMeasureCommand?)body.Deserialize(_byName[name].Type, ApiJson.Options);

    /// <summary>Runs a command on a measure through the pipeline, as its endpoint does.</summary>
    public static Task<IResult> RunCommandAsync(this CommandPipeline pipeline, Guid id, IMeasureCommand command, HttpContext http, CancellationToken ct) =>
        _byName.TryGetValue(NameOf(command), out var entry)
            ? entry.Run(pipeline, id, command, http, ct)
            : throw new InvalidOperationException($"{command.GetType().Name} is not a measure command.");

    private static Dictionary<string, (Type, Runner)> Discover()
    {
        var run = typeof(MeasureCommandTypes).GetMethod(nameof(RunTyped), BindingFlags.NonPublic | BindingFlags.Static)!;
        var found = typeof(IMeasureCommand).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMeasureCommand).IsAssignableFrom(t))
            .ToDictionary(
                t => (string)t.GetProperty(nameof(IMeasureCommand.Name), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!,
                t => (t, run.MakeGenericMethod(t).CreateDelegate<Runner>()),
                StringComparer.Ordinal);
        var missing = MeasureLifecycle.Commands.Except(found.Keys).ToList();
        return missing.Count == 0
            ? found
            : throw new InvalidOperationException($"Commands of the lifecycle without a command type: {string.Join(", ", missing)}.");
    }

    private static Task<IResult> RunTyped<TCommand>(CommandPipeline pipeline, Guid id, IMeasureCommand command, HttpContext http, CancellationToken ct)
        where TCommand : class, IMeasureCommand =>
        pipeline.RunAsync(id, (TCommand)command, http, ct);
}
