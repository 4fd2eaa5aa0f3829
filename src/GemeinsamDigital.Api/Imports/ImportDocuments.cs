using System.Security.Claims;
using System.Text.Json;

namespace GemeinsamDigital.Api.Imports;

/// <summary>How many rows of an import had each outcome.</summary>
public sealed record ImportCounts(int Create, int Update, int Unchanged, int Rejected, int Failed)
{
    public static readonly ImportCounts None = new(0, 0, 0, 0, 0);

    public ImportCounts Add(string outcome) => outcome switch
    {
        ImportOutcomes.Create => this with { Create = Create + 1 },
        ImportOutcomes.Update => this with { Update = Update + 1 },
        ImportOutcomes.Unchanged => this with { Unchanged = Unchanged + 1 },
        ImportOutcomes.Rejected => this with { Rejected = Rejected + 1 },
        _ => this with { Failed = Failed + 1 },
    };
}

/// <summary>A row's outcome as the API shows it.</summary>
public static class ImportOutcomes
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";

    /// <summary>The plan was sound but a command failed when it ran (the measure changed meanwhile, …): see its problem.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Create, Update, Unchanged, Rejected, Failed];
}

public static class ImportStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
}

/// <summary>Who started an import: the background run acts with these claims, as the caller did (its pseudonym, without the claims that name it).</summary>
public sealed record CallerClaims(string? AuthenticationType, string NameType, string RoleType, IReadOnlyList<KeyValuePair<string, string>> Claims)
{
    public static CallerClaims Of(ClaimsPrincipal user)
    {
        var identity = user.Identity as ClaimsIdentity;
        return new CallerClaims(identity?.AuthenticationType, identity?.NameClaimType ?? ClaimTypes.Name, identity?.RoleClaimType ?? ClaimTypes.Role,
            [.. user.Claims.Where(c => !SubjectClaims.Personal.Contains(c.Type)).Select(c => new KeyValuePair<string, string>(c.Type, c.Value))]);
    }

    public ClaimsPrincipal ToPrincipal() =>
        new(new ClaimsIdentity(Claims.Select(c => new Claim(c.Key, c.Value)), AuthenticationType, NameType, RoleType));
}

/// <summary>An import: what was sent, by whom, how far it got and what happened (stored; its rows are <see cref="ImportRowRecord"/>s).</summary>
public sealed class ImportJob
{
    public Guid Id { get; set; }
    public string Status { get; set; } = ImportStatus.Queued;
    public string Format { get; set; } = "";
    public string SubmittedBy { get; set; } = "";
    public string? Administration { get; set; }
    public CallerClaims Caller { get; set; } = new(null, ClaimTypes.Name, ClaimTypes.Role, []);
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Rows { get; set; }
    public int Processed { get; set; }
    public ImportCounts Counts { get; set; } = ImportCounts.None;
    public IReadOnlyList<string> UnknownColumns { get; set; } = [];
    public bool DecimalComma { get; set; }
}

/// <summary>One row of an import: its cells (kept until it ran, so a restart can resume) and its outcome.</summary>
public sealed class ImportRowRecord
{
    /// <summary>The import's id and the row number: one record per row, whatever happens.</summary>
    public string Id { get; set; } = "";
    public Guid ImportId { get; set; }
    public int Row { get; set; }
    public int Line { get; set; }
    public Dictionary<string, JsonElement> Cells { get; set; } = [];

    /// <summary>Why the row could not be read (it has no cells then).</summary>
    public string? Broken { get; set; }

    public ImportRowResult? Result { get; set; }

    public static string IdOf(Guid importId, int row) => $"{importId:N}-{row:D7}";
}

/// <summary>What happened to one row.</summary>
/// <param name="Row">The row as spreadsheet programs number it (header = 1), or the line of a JSON Lines file.</param>
/// <param name="Line">The line of the file the row starts on (a quoted cell may span lines).</param>
/// <param name="ExternalId">The row's external id.</param>
/// <param name="Lead">The row's lead administration.</param>
/// <param name="Outcome">create, update, unchanged, rejected or failed.</param>
/// <param name="MeasureId">The measure the row created or updated (or would, in a dry run: null for a new one).</param>
/// <param name="Version">The measure's version after the row.</param>
/// <param name="Commands">The commands the row ran (or would run), in order.</param>
/// <param name="Changes">The columns that changed a known measure.</param>
/// <param name="Errors">Why the row is rejected: column → messages.</param>
/// <param name="Problem">The problem a command answered (a refusal, or a failure while running).</param>
public sealed record ImportRowResult(
    int Row,
    int Line,
    string? ExternalId,
    string? Lead,
    string Outcome,
    Guid? MeasureId,
    long? Version,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Changes,
    IReadOnlyDictionary<string, string[]>? Errors,
    JsonElement? Problem);

/// <summary>An import as the API answers it.</summary>
/// <param name="Id">The import.</param>
/// <param name="Status">queued, running or completed.</param>
/// <param name="Format">csv or jsonl.</param>
/// <param name="SubmittedBy">Who sent it.</param>
/// <param name="Administration">On whose behalf.</param>
/// <param name="CreatedAt">When it arrived.</param>
/// <param name="StartedAt">When its first row ran.</param>
/// <param name="FinishedAt">When its last row ran.</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Processed">Rows done.</param>
/// <param name="Counts">Rows per outcome.</param>
/// <param name="UnknownColumns">Columns of the file that are not columns of the format (rows with a value in one are rejected).</param>
/// <param name="RowResults">Where the per-row outcomes are read, pageable.</param>
public sealed record ImportView(
    Guid Id,
    string Status,
    string Format,
    string SubmittedBy,
    string? Administration,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Rows,
    int Processed,
    ImportCounts Counts,
    IReadOnlyList<string> UnknownColumns,
    string RowResults)
{
    public static ImportView Of(ImportJob job) => new(job.Id, job.Status, job.Format, job.SubmittedBy, job.Administration, job.CreatedAt,
        job.StartedAt, job.FinishedAt, job.Rows, job.Processed, job.Counts, job.UnknownColumns, $"/api/imports/{job.Id}/rows");
}

/// <summary>A dry run's answer: what the import would do, row by row; nothing is written.</summary>
/// <param name="DryRun">Always true.</param>
/// <param name="Format">csv or jsonl.</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Counts">Rows per outcome.</param>
/// <param name="UnknownColumns">Columns that are not columns of the format.</param>
/// <param name="Items">Every row's planned outcome.</param>
public sealed record ImportPlanView(bool DryRun, string Format, int Rows, ImportCounts Counts, IReadOnlyList<string> UnknownColumns, IReadOnlyList<ImportRowResult> Items);
