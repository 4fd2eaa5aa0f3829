using System.Text.Json;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;
using Wolverine.Marten;

namespace GemeinsamDigital.Api.Imports;

/// <summary>A page of an import's row outcomes.</summary>
public sealed record ImportRowPage(IReadOnlyList<ImportRowResult> Items, int Page, int PageSize, long Total, int PageCount);

/// <summary>A page of imports.</summary>
public sealed record ImportPage(IReadOnlyList<ImportView> Items, int Page, int PageSize, long Total, int PageCount);

public static class ImportEndpoints
{
    public const string Tag = "Imports";
    private const int MaxImportReason = 400;

    /// <summary>Import measures from a CSV or JSON Lines file, creating or updating each by its external id.</summary>
    /// <param name="dryRun">true: answer what the import would do, row by row, and write nothing.</param>
    /// <param name="runner">Plans and runs rows.</param>
    /// <param name="settings">Import limits.</param>
    /// <param name="store">The document store.</param>
    /// <param name="outbox">Wolverine's outbox on a Marten session.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverinePost("/api/imports", OperationId = "importMeasures")]
    [Authorize(Policy = Policies.WriteMeasures)]
    [Tags(Tag)]
    [Consumes("text/csv", "application/jsonl", "application/x-ndjson")]
    [RequestSizeLimit(ImportSettings.MaxBytes)]
    [EndpointSummary("Import measures (CSV or JSON Lines, upsert by external id)")]
    [EndpointDescription("Per row, by lead and external id: unknown → proposed and moved through the steps its columns imply; known → only the commands for what changed; unchanged → nothing (importing a file again appends no event). "
        + "Every command is an ordinary command with its own events, the import's id as correlation id and the row in its reason. A rejected row never blocks the others. "
        + "dryRun=true answers the plan and writes nothing. Small files run within the request (201); larger ones in the background (202): follow Location. Columns: GET /api/imports/template.csv and docs/imports.md.")]
    [ProducesResponseType<ImportPlanView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ImportView>(StatusCodes.Status201Created)]
    [ProducesResponseType<ImportView>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Post(bool? dryRun, ImportRunner runner, IOptions<ImportSettings> settings, IDocumentStore store, IMartenOutbox outbox,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var metadata = CommandMetadata.From(http);
        if (metadata.Reason is { } reason && (reason.Length > MaxImportReason || FieldErrors.ForbiddenCharacter(reason) is not null))
        {
            return Problems.Validation(CommandMetadata.ReasonErrorKey, $"An import's reason is at most {MaxImportReason} characters of text (each event's reason adds the import and row to it).");
        }
        var (file, problem) = await ImportFile.ReadAsync(http.Request, settings.Value.MaxRows, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (dryRun == true)
        {
            return Results.Ok(await runner.DryRunAsync(file!, http.User, http.RequestServices, ct));
        }

        var job = new ImportJob
        {
            Id = Guid.CreateVersion7(),
            Format = file!.Format,
            SubmittedBy = metadata.Actor,
            Administration = metadata.Administration,
            Caller = CallerClaims.Of(http.User),
            Reason = metadata.Reason,
            CreatedAt = clock.GetUtcNow(),
            Rows = file.Rows.Count,
            UnknownColumns = file.UnknownColumns,
            DecimalComma = file.DecimalComma,
        };
        var background = file.Rows.Count > settings.Value.InlineRows;
        await using (var session = store.LightweightSession())
        {
            session.Insert(job);
            session.Insert(file.Rows.Select(r => new ImportRowRecord
            {
                Id = ImportRowRecord.IdOf(job.Id, r.Row), ImportId = job.Id, Row = r.Row, Line = r.Line, Cells = r.Cells, Broken = r.Broken,
            }).ToArray());
            if (background)
            {
                // Stored with the import in this transaction, handled from Wolverine's durable inbox.
                outbox.Enroll(session);
                await outbox.PublishAsync(new RunImport(job.Id));
            }
            await session.SaveChangesAsync(ct);
        }
        http.Response.Headers[CommandMetadata.CorrelationHttpHeader] = job.Id.ToString("D");
        var location = $"/api/imports/{job.Id}";
        if (background)
        {
            return Results.Accepted(location, ImportView.Of(job));
        }
        while (await runner.RunAsync(job.Id, settings.Value.InlineRows, TimeSpan.MaxValue, ct))
        {
        }
        await using var read = store.QuerySession();
        return Results.Created(location, ImportView.Of((await read.LoadAsync<ImportJob>(job.Id, ct))!));
    }

    /// <summary>An import: status, progress and counts per outcome.</summary>
    /// <param name="id">The import.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [ConditionalRead]
    [WolverineGet("/api/imports/{id}", OperationId = "getImport")]
    [Authorize(Policy = Policies.WriteMeasures)]
    [Tags(Tag)]
    [EndpointSummary("Read an import")]
    [ProducesResponseType<ImportView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
        await VisibleAsync(id, session, http, ct) is { } job ? Results.Ok(ImportView.Of(job)) : Problems.ImportNotFound(id);

    /// <summary>An import's rows in file order with their outcomes: what each created or changed, or why it was rejected.</summary>
    /// <param name="id">The import.</param>
    /// <param name="outcome">Only rows with this outcome: create, update, unchanged, rejected or failed.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Rows per page, 1 to 200 (default 100).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [ConditionalRead]
    [WolverineGet("/api/imports/{id}/rows", OperationId = "getImportRows")]
    [Authorize(Policy = Policies.WriteMeasures)]
    [Tags(Tag)]
    [EndpointSummary("Read an import's row outcomes")]
    [ProducesResponseType<ImportRowPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Rows(Guid id, string? outcome, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (outcome is not null && !ImportOutcomes.All.Contains(outcome))
        {
            errors.Add("outcome", $"One of: {string.Join(", ", ImportOutcomes.All)}.");
        }
        var number = MeasureQueries.InRange(page, "page", 1, 1, MeasureQueries.MaxPage, errors);
        var size = MeasureQueries.InRange(pageSize, "pageSize", 100, 1, MeasureQueries.MaxPageSize, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (await VisibleAsync(id, session, http, ct) is null)
        {
            return Problems.ImportNotFound(id);
        }
        IQueryable<ImportRowRecord> rows = session.Query<ImportRowRecord>().Where(r => r.ImportId == id);
        rows = outcome is null ? rows.Where(r => r.Result != null) : rows.Where(r => r.Result!.Outcome == outcome);
        var found = await rows.OrderBy(r => r.Row).ToPagedListAsync(number, size, ct);
        var total = found.Count == 0 && number > 1 ? await rows.CountAsync(ct) : found.TotalItemCount;
        var pageCount = (int)((total + size - 1) / size);
        Links.ToPages(http, number, pageCount);
        return Results.Ok(new ImportRowPage([.. found.Select(r => r.Result!)], number, size, total, pageCount));
    }

    /// <summary>Imports, the newest first: the caller's administration's, or every one for the strategy office.</summary>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Imports per page, 1 to 200 (default 50).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [ConditionalRead]
    [WolverineGet("/api/imports", OperationId = "listImports")]
    [Authorize(Policy = Policies.WriteMeasures)]
    [Tags(Tag)]
    [EndpointSummary("List imports")]
    [ProducesResponseType<ImportPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> List(int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var number = MeasureQueries.InRange(page, "page", 1, 1, MeasureQueries.MaxPage, errors);
        var size = MeasureQueries.InRange(pageSize, "pageSize", 50, 1, MeasureQueries.MaxPageSize, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        IQueryable<ImportJob> jobs = session.Query<ImportJob>();
        if (!http.User.IsInRole(Roles.StrategyOffice))
        {
            var own = ActOnMeasureHandler.AdministrationOf(http.User) ?? "";
            jobs = jobs.Where(j => j.Administration == own);
        }
        var found = await jobs.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).ToPagedListAsync(number, size, ct);
        var total = found.Count == 0 && number > 1 ? await jobs.CountAsync(ct) : found.TotalItemCount;
        var pageCount = (int)((total + size - 1) / size);
        Links.ToPages(http, number, pageCount);
        return Results.Ok(new ImportPage([.. found.Select(ImportView.Of)], number, size, total, pageCount));
    }

    /// <summary>The import template: every column with two example rows (a new idea, and a measure in its pilot).</summary>
    [WolverineGet("/api/imports/template.csv", OperationId = "getImportTemplate")]
    [AllowAnonymous]
    [Tags(Tag)]
    [EndpointSummary("Download the import template (CSV for spreadsheet programs)")]
    [EndpointDescription("UTF-8 with BOM, separated by ';', as German spreadsheet programs read and write it. The columns are described in docs/imports.md.")]
    [Produces("text/csv")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv")]
    public static IResult Template() =>
        Results.Text(ImportTemplate.Csv, Csv.ContentType);

    /// <summary>The strategy office sees every import; others those of their own administration.</summary>
    private static async Task<ImportJob?> VisibleAsync(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var job = await session.LoadAsync<ImportJob>(id, ct);
        return job is not null && ActOnMeasureHandler.SeesOwnedBy(http.User, job.Administration) ? job : null;
    }
}

/// <summary>The template: the format's columns and two rows that import as they are (they walk the domain's sample measure).</summary>
public static class ImportTemplate
{
    static ImportTemplate() => (Csv, JsonLines) = Build();

    /// <summary>The rows as CSV for spreadsheet programs (BOM, ';').</summary>
    public static string Csv { get; }

    /// <summary>The same rows as JSON Lines (the OpenAPI example).</summary>
    public static string JsonLines { get; }

    private static (string Csv, string JsonLines) Build()
    {
        string Json(object value) => JsonSerializer.Serialize(value, ApiJson.Options);
        var propose = SampleCommands.Propose();
        var problem = SampleCommands.UnderstandProblem();
        var goals = SampleCommands.DefineGoals();
        var mandate = SampleCommands.Mandate();
        var pilot = SampleCommands.StartPilot();
        var pilotRow = new Dictionary<string, object?>
        {
            [ImportColumns.ExternalId] = "BA-CW-2024-017",
            [ImportColumns.Lead] = propose.Lead,
            [ImportColumns.Stage] = MeasureStage.Pilot.Code(),
            [ImportColumns.Title] = propose.Title,
            [ImportColumns.ProblemStatement] = propose.ProblemStatement,
            [ImportColumns.Description] = propose.Description,
            [ImportColumns.Type] = propose.Type,
            [ImportColumns.Perspectives] = string.Join(';', propose.Perspectives!),
            [ImportColumns.AffectedGroups] = Json(problem.AffectedGroups!),
            [ImportColumns.Evidence] = problem.Evidence,
            [ImportColumns.Contributions] = Json(goals.Contributions!),
            [ImportColumns.Indicators] = Json(goals.Indicators!),
            [ImportColumns.Participating] = string.Join(';', mandate.Participating!),
            [ImportColumns.Budget] = mandate.Budget!.Amount,
            [ImportColumns.FundingSource] = mandate.FundingSource,
            [ImportColumns.Responsibilities] = Json(mandate.Responsibilities!),
            [ImportColumns.Plan] = pilot.Plan,
            [ImportColumns.PilotStart] = pilot.Start,
            [ImportColumns.PilotEnd] = pilot.End,
            [ImportColumns.Milestones] = Json(pilot.Milestones!),
        };
        var ideaRow = new Dictionary<string, object?>
        {
            [ImportColumns.ExternalId] = "BA-CW-2025-003",
            [ImportColumns.Lead] = propose.Lead,
            [ImportColumns.Title] = "Digitale Sprechstunde im Bürgeramt",
            [ImportColumns.ProblemStatement] = "Lange Wartezeiten für einfache Auskünfte.",
            [ImportColumns.Type] = propose.Type,
            [ImportColumns.Perspectives] = "zp1",
        };
        var columns = ImportColumns.All.Select(c => c.Name).ToList();
        var jsonLines = string.Join("\n", new[] { ideaRow, pilotRow }.Select(r => JsonSerializer.Serialize(
            r.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value is string s && s.StartsWith('[') ? JsonSerializer.Deserialize<JsonElement>(s) : c.Value), ApiJson.Options)));
        var rows = new[] { ideaRow, pilotRow }.Select(r => (IReadOnlyList<object?>)[.. columns.Select(c => r.GetValueOrDefault(c))]).ToList();
        return (Http.Csv.Write(new CsvTable(columns, rows), CsvDialect.German), jsonLines);
    }
}
