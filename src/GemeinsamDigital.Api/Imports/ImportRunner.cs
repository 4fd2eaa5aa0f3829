using System.Security.Claims;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Imports;

/// <summary>
/// Plans and runs the rows of an import. A row is planned by the domain's <see cref="ImportPlanner"/>
/// against the measure its lead and external id name, checked against what the caller may do
/// (the same rules as for single commands: an editor imports only what its administration may
/// change), and run as ordinary commands through the <see cref="CommandPipeline"/>, each with the
/// import's id as correlation id and the row in its reason, each pinned by If-Match to the version
/// the step before left, so nothing is decided on a state the plan did not see.
/// </summary>
public sealed class ImportRunner(IDocumentStore store, CommandPipeline pipeline, IServiceScopeFactory scopes, TimeProvider clock, SubjectDirectory subjects, ILogger<ImportRunner> logger)
{
    /// <summary>What the rows of a file would do, without writing: later rows see what earlier ones would have done.</summary>
    public async Task<ImportPlanView> DryRunAsync(ImportFile file, ClaimsPrincipal user, IServiceProvider services, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var simulated = new Dictionary<(string, string), MeasureState>();
        var results = new List<ImportRowResult>(file.Rows.Count);
        var counts = ImportCounts.None;
        foreach (var row in file.Rows)
        {
            var (result, plan) = await PlanAsync(row, file.DecimalComma, user, services, session, simulated, ct);
            if (plan?.After is { } after && after.ExternalId is { } key)
            {
                simulated[(after.Lead, key)] = after;
            }
            results.Add(result);
            counts = counts.Add(result.Outcome);
        }
        return new ImportPlanView(true, file.Format, file.Rows.Count, counts, file.UnknownColumns, results);
    }

    /// <summary>Runs the next rows of an import that have no outcome yet, up to a number of rows or a time; true while rows remain.</summary>
    public async Task<bool> RunAsync(Guid importId, int maxRows, TimeSpan maxTime, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        ImportJob? job;
        List<ImportRowRecord> pending;
        await using (var read = store.QuerySession())
        {
            job = await read.LoadAsync<ImportJob>(importId, ct);
            if (job is null || job.Status == ImportStatus.Completed)
            {
                return false;
            }
            pending = [.. await read.Query<ImportRowRecord>()
                .Where(r => r.ImportId == importId && r.Result == null)
                .OrderBy(r => r.Row).Take(maxRows + 1).ToListAsync(ct)];
        }
        var user = job.Caller.ToPrincipal();
        // An import stored before pseudonyms carries its caller's subject instead of the pseudonym.
        await SubjectClaims.EnsureAsync(user, subjects, ct);
        await using var scope = scopes.CreateAsyncScope();
        if (job.Status == ImportStatus.Queued)
        {
            job.Status = ImportStatus.Running;
            job.StartedAt = clock.GetUtcNow();
        }
        var ran = 0;
        foreach (var record in pending.Take(maxRows))
        {
            if (ran > 0 && clock.GetElapsedTime(started) > maxTime)
            {
                break;
            }
            ran++;
            var row = new ParsedRow(record.Row, record.Line, record.Cells, record.Broken);
            var result = await ApplyAsync(job, row, user, scope.ServiceProvider, ct);
            record.Result = result;
            job.Processed++;
            job.Counts = job.Counts.Add(result.Outcome);
            // The row's outcome and the import's progress together: a restart resumes after the last row recorded.
            await using var write = store.LightweightSession();
            write.Store(record);
            write.Store(job);
            await write.SaveChangesAsync(ct);
        }
        var more = ran < pending.Count;
        logger.LogInformation("Import {ImportId}: {Rows} rows in {Milliseconds} ms, {Processed} of {Total} done", importId, ran,
            (int)clock.GetElapsedTime(started).TotalMilliseconds, job.Processed, job.Rows);
        if (!more)
        {
            job.Status = ImportStatus.Completed;
            job.FinishedAt = clock.GetUtcNow();
            await using var write = store.LightweightSession();
            write.Store(job);
            await write.SaveChangesAsync(ct);
            logger.LogInformation("Import {ImportId} completed: {Rows} rows, {Counts}", importId, job.Rows, job.Counts);
        }
        return more;
    }

    private async Task<ImportRowResult> ApplyAsync(ImportJob job, ParsedRow row, ClaimsPrincipal user, IServiceProvider services, CancellationToken ct)
    {
        RowPlan? plan;
        ImportRowResult planned;
        await using (var session = store.QuerySession())
        {
            (planned, plan) = await PlanAsync(row, job.DecimalComma, user, services, session, null, ct);
        }
        if (plan is null || plan.Commands.Count == 0)
        {
            return planned;
        }
        var measureId = planned.MeasureId;
        var version = planned.Version;
        var done = new List<string>();
        var reason = $"Import {job.Id:D}, row {row.Row}" + (job.Reason is { } why ? $": {why}" : "");
        foreach (var command in plan.Commands)
        {
            var http = InnerCommands.Request(user, services, version is { } v ? ETags.For(v) : null, reason, job.Id.ToString("D"));
            var result = command.Command is ProposeMeasure propose
                ? await pipeline.ProposeAsync(propose, http, ct)
                : await pipeline.RunCommandAsync(measureId!.Value, (IMeasureCommand)command.Command, http, ct);
            var answer = await InnerCommands.AnswerAsync(http, result);
            if (!answer.Succeeded)
            {
                return planned with { Outcome = ImportOutcomes.Failed, MeasureId = measureId, Version = version, Commands = done, Problem = answer.Body };
            }
            measureId ??= answer.Body.GetProperty("measureId").GetGuid();
            version = answer.Version;
            done.Add(command.Name);
        }
        return planned with { MeasureId = measureId, Version = version, Commands = done };
    }

    /// <summary>Reads and plans one row, and checks that the caller may run every command of the plan.</summary>
    private async Task<(ImportRowResult Result, RowPlan? Plan)> PlanAsync(ParsedRow row, bool decimalComma, ClaimsPrincipal user, IServiceProvider services,
        IQuerySession session, Dictionary<(string, string), MeasureState>? simulated, CancellationToken ct)
    {
        ImportRowResult Rejected(string? externalId, string? lead, IReadOnlyDictionary<string, string[]>? errors, System.Text.Json.JsonElement? problem = null) =>
            new(row.Row, row.Line, externalId, lead, ImportOutcomes.Rejected, null, null, [], [], errors, problem);

        if (row.Broken is { } broken)
        {
            return (Rejected(null, null, new Dictionary<string, string[]> { ["row"] = [broken] }), null);
        }
        var errors = new FieldErrors();
        var read = ImportRowReader.Read(row.Row, row.Cells, decimalComma, errors);
        // An editor's rows are led by its own administration unless they say otherwise.
        if (read.Lead is null && !user.IsInRole(Roles.StrategyOffice) && ActOnMeasureHandler.AdministrationOf(user) is { } own)
        {
            read = read with { Lead = own };
        }
        var externalId = ExternalIds.Normalize(read.ExternalId);
        if (errors.Any)
        {
            return (Rejected(externalId, read.Lead, errors.ToDictionary()), null);
        }

        MeasureState? current = null;
        if (externalId is not null && read.Lead is { } lead && externalId.Length <= ExternalIds.MaxLength)
        {
            current = simulated?.GetValueOrDefault((lead, externalId))
                ?? await MeasureStream.FindByExternalIdAsync(session, lead, externalId, ct);
        }
        var plan = ImportPlanner.Plan(read, current, Guid.CreateVersion7(), pipeline.Today, clock.GetUtcNow());
        if (plan.Outcome == ImportOutcome.Rejected)
        {
            return (Rejected(externalId, read.Lead, plan.Errors), plan);
        }

        // The same object-level rules as for each command on its own; checked for the whole row
        // first, so a row is never half applied because its third step is not the caller's to take.
        var team = current ?? new MeasureState { Lead = read.Lead! };
        foreach (var command in plan.Commands)
        {
            var http = InnerCommands.Request(user, services);
            var refused = command.Command is ProposeMeasure
                ? await MeasureAccess.RefuseProposalAsync(http, read.Lead!)
                : await MeasureAccess.RefuseAsync(http, team, command.Name);
            if (refused is not null)
            {
                var answer = await InnerCommands.AnswerAsync(http, refused);
                return (Rejected(externalId, read.Lead, null, answer.Body), null);
            }
        }
        var outcome = plan.Outcome switch
        {
            ImportOutcome.Create => ImportOutcomes.Create,
            ImportOutcome.Update => ImportOutcomes.Update,
            _ => ImportOutcomes.Unchanged,
        };
        return (new ImportRowResult(row.Row, row.Line, externalId, read.Lead, outcome, current?.Id, current?.Version,
            [.. plan.Commands.Select(c => c.Name)], plan.Changes, null, null), plan);
    }
}
