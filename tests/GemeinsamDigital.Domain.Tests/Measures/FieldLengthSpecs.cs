using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Every text a command carries has a maximum length: each string of each sample command (with
/// every optional text filled in) is replaced by one longer than any limit, and validation must refuse it.
/// </summary>
public class FieldLengthSpecs
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private static readonly string _tooLong = new('x', FieldErrors.MaxText + 1);

    // Commands without any text: attaching names a programme by UUID (the JSON reader refuses
    // anything longer: 400), detaching carries nothing.
    // Setting a location carries codes (districts, checked against the catalogue) and GeoJSON the
    // service checks before deciding (NetTopologySuite), no free text.
    private static readonly Type[] _withoutText = [typeof(AttachToProgramme), typeof(DetachFromProgramme), typeof(SetLocation)];

    public static IEnumerable<object[]> Commands()
    {
        var samples = typeof(SampleCommands).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().All(p => p.IsOptional || p.GetCustomAttribute<ParamArrayAttribute>() is not null))
            .Select(m => m.Invoke(null, [.. m.GetParameters().Select(p => p.IsOptional ? p.DefaultValue : Array.CreateInstance(p.ParameterType.GetElementType()!, 0))])!)
            .ToList();
        // Optional texts the samples leave out.
        samples.Add(SampleCommands.Propose() with { Source = new IdeaSourceInput("verwaltung", "ba-mitte", "Vorschlag aus dem Bürgeramt") });
        samples.Add(SampleCommands.AmendDetails() with { ProblemStatement = "p", Description = "d" });
        samples.Add(new ChangeTeam(["senmvku"], [new ResponsibilityInput("senmvku", "Daten")]));
        samples.Add(new StartEvaluation("Notiz"));
        // A command that carries no text at all (e.g. StartEvaluation without a note) has nothing to limit.
        return samples.Where(s => !_withoutText.Contains(s.GetType())).Where(s => StringPaths(JsonSerializer.SerializeToNode(s, s.GetType(), _json)!, "").Any())
            .Select(s => new object[] { s.GetType().Name, s });
    }

    [Fact]
    public void Every_command_type_is_checked()
    {
        var checkedTypes = Commands().Select(c => c[1].GetType()).ToHashSet();
        var commandTypes = typeof(IMeasureCommand).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IMeasureCommand).IsAssignableFrom(t))
            .Except(_withoutText)
            .Append(typeof(ProposeMeasure));
        commandTypes.Where(t => !checkedTypes.Contains(t)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_text_field_is_limited(string name, object command)
    {
        var validate = command.GetType().GetMethod("Validate", [typeof(FieldErrors)]).ShouldNotBeNull(name);
        var json = JsonSerializer.SerializeToNode(command, command.GetType(), _json)!;
        var paths = StringPaths(json, "").ToList();
        paths.ShouldNotBeEmpty(name);
        foreach (var path in paths)
        {
            var changed = JsonNode.Parse(json.ToJsonString())!;
            Replace(changed, path);
            var errors = new FieldErrors();
            validate.Invoke(changed.Deserialize(command.GetType(), _json), [errors]);
            errors.Any.ShouldBeTrue($"{name}.{path} accepts {_tooLong.Length} characters");
        }
    }

    private static IEnumerable<string> StringPaths(JsonNode node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : StringPaths(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => item is null ? [] : StringPaths(item, $"{path}[{i}]")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && !IsDate(v) => [path],
        _ => [],
    };

    private static bool IsDate(JsonValue v) => DateOnly.TryParse(v.GetValue<string>(), out _);

    private static void Replace(JsonNode root, string path)
    {
        var parts = path.Replace("[", ".[").Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = parts[i].StartsWith('[') ? node[int.Parse(parts[i][1..^1])]! : node[parts[i]]!;
        }
        var last = parts[^1];
        if (last.StartsWith('['))
        {
            node[int.Parse(last[1..^1])] = _tooLong;
        }
        else
        {
            node[last] = _tooLong;
        }
    }
}
