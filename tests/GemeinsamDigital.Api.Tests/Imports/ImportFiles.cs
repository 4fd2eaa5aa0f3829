using System.Text;
using System.Text.Json;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Imports;

/// <summary>Import files as the tests send them: rows of the domain's sample measure, in any stage an import reaches.</summary>
public static class ImportFiles
{
    public static readonly string[] Leads = ["ba-mitte", "ba-pankow", "ba-neukoelln"];

    /// <summary>The stage row i asks for: idea, problem understood, goals, mandate, pilot in turn.</summary>
    public static MeasureStage StageOf(int i) => ImportColumns.Stages[i % ImportColumns.Stages.Count];

    /// <summary>The events a new measure in that stage has: one per step.</summary>
    public static int EventsFor(MeasureStage stage) => ImportColumns.Stages.ToList().IndexOf(stage) + 1;

    /// <summary>A row that brings measure "prefix-i" to <see cref="StageOf"/>(i); German text with umlauts and a line break.</summary>
    public static Dictionary<string, string> Row(string prefix, int i, MeasureStage? stage = null)
    {
        var target = stage ?? StageOf(i);
        var lead = Leads[i % Leads.Length];
        var propose = SampleCommands.Propose(lead);
        var row = new Dictionary<string, string>
        {
            [ImportColumns.ExternalId] = $"{prefix}-{i:D4}",
            [ImportColumns.Lead] = lead,
            [ImportColumns.Stage] = target.Code(),
            [ImportColumns.Title] = $"Grünfläche Nr. {i} in Köpenick: größer, schöner, übersichtlicher",
            [ImportColumns.ProblemStatement] = "Die Fläche ist verwahrlost; Anwohnende möchten sie nutzen (\"Kiezgarten\").",
            [ImportColumns.Description] = "Zeile 1 der Beschreibung\nZeile 2; mit Semikolon",
            [ImportColumns.Type] = propose.Type!,
            [ImportColumns.Perspectives] = "zp1;zp2",
        };
        var index = ImportColumns.Stages.ToList().IndexOf(target);
        if (index >= 1)
        {
            var problem = SampleCommands.UnderstandProblem();
            row[ImportColumns.AffectedGroups] = Json(problem.AffectedGroups!);
            row[ImportColumns.Evidence] = problem.Evidence!;
        }
        if (index >= 2)
        {
            var goals = SampleCommands.DefineGoals();
            row[ImportColumns.Contributions] = Json(goals.Contributions!);
            row[ImportColumns.Indicators] = Json(goals.Indicators!);
        }
        if (index >= 3)
        {
            var mandate = SampleCommands.Mandate(lead);
            row[ImportColumns.Participating] = string.Join(";", mandate.Participating!);
            row[ImportColumns.Budget] = "250000,50";
            row[ImportColumns.FundingSource] = mandate.FundingSource!;
            row[ImportColumns.Responsibilities] = Json(mandate.Responsibilities!);
        }
        if (index >= 4)
        {
            var pilot = SampleCommands.StartPilot();
            row[ImportColumns.Plan] = pilot.Plan!;
            row[ImportColumns.PilotStart] = "01.03.2024";
            row[ImportColumns.PilotEnd] = pilot.End!.Value.ToString("yyyy-MM-dd");
            row[ImportColumns.Milestones] = Json(pilot.Milestones!);
        }
        return row;
    }

    public static string Json(object value) => JsonSerializer.Serialize(value, ApiJson.Options);

    /// <summary>A CSV as German spreadsheet programs save it: BOM, ';', CRLF, cells quoted where they must be.</summary>
    public static string GermanCsv(IEnumerable<IReadOnlyDictionary<string, string>> rows, IReadOnlyList<string>? columns = null)
    {
        var header = columns ?? ImportColumns.All.Select(c => c.Name).ToList();
        var text = new StringBuilder("\uFEFF");
        text.Append(string.Join(';', header)).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(';', header.Select(c => Cell(row.GetValueOrDefault(c) ?? "")))).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Cell(string value) =>
        value.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public static string JsonLines(IEnumerable<IReadOnlyDictionary<string, string>> rows) =>
        string.Join("\n", rows.Select(r => JsonSerializer.Serialize(r)));
}
