using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Security;

/// <summary>Broken object level authorization: nobody acts on a measure outside their administration.</summary>
public class AuthorizationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Lead = "ba-charlottenburg-wilmersdorf";
    private const string Participant = "senmvku";
    private const string LeavingParticipant = "sensbw";

    private readonly HttpClient _lead = api.ClientFor(Lead, Roles.Editor);
    private readonly HttpClient _participant = api.ClientFor(Participant, Roles.Editor);
    private readonly HttpClient _leaving = api.ClientFor(LeavingParticipant, Roles.Editor);
    private readonly HttpClient _office = api.Client;

    /// <summary>Callers that must never change a measure of Charlottenburg-Wilmersdorf, with what they get.</summary>
    private IEnumerable<(string Who, HttpClient Client, HttpStatusCode Status, string Type)> Intruders()
    {
        yield return ("editor of another district", api.ClientFor("ba-neukoelln", Roles.Editor), HttpStatusCode.Forbidden, "measure-forbidden");
        yield return ("editor without administration", api.WithBearer(api.Tokens.Create("nobody", null, [Roles.Editor])), HttpStatusCode.Forbidden, "measure-forbidden");
        yield return ("auditor", api.ClientFor("skzl", Roles.Auditor), HttpStatusCode.Forbidden, "forbidden");
        yield return ("auditor of the lead", api.ClientFor(Lead, Roles.Auditor), HttpStatusCode.Forbidden, "forbidden");
        yield return ("dashboard reader", api.ClientFor(Lead, Roles.DashboardReader), HttpStatusCode.Forbidden, "forbidden");
        yield return ("anonymous", api.AnonymousClient(), HttpStatusCode.Unauthorized, "unauthorized");
    }

    private async Task<long> VersionOf(Guid id) => (await (await _office.GetAsync($"/api/measures/{id}")).Read<MeasureState>()).Version;

    /// <summary>Every intruder is refused and nothing is appended; then the rightful caller succeeds.</summary>
    private async Task Step(Guid id, string command, object body, HttpClient rightful, HashSet<string> covered, params (string, HttpClient, HttpStatusCode, string)[] moreIntruders)
    {
        var before = await VersionOf(id);
        foreach (var (who, client, status, type) in Intruders().Concat(moreIntruders))
        {
            var refused = await client.PostJson($"/api/measures/{id}/{command}", body, ifMatch: $"\"{before}\"");
            await refused.ShouldBeProblemAsync(status, type);
            (await VersionOf(id)).ShouldBe(before, $"{who} appended to the stream with {command}");
            refused.Headers.ETag.ShouldBeNull();
        }
        var accepted = await rightful.PostJson($"/api/measures/{id}/{command}", body, ifMatch: $"\"{before}\"");
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, $"{command}: {await accepted.Content.ReadAsStringAsync()}");
        covered.Add(command);
    }

    [Fact]
    public async Task Every_command_refuses_callers_outside_the_project_team_and_appends_nothing()
    {
        var covered = new HashSet<string>();
        var outsiderBeforeMandate = ("participant before the mandate", _participant, HttpStatusCode.Forbidden, "measure-forbidden");
        // On the team, but in a position the permission table does not allow for the command.
        var participantNotPermitted = ("participating editor", _participant, HttpStatusCode.Forbidden, "command-not-permitted");
        var leadNotPermitted = ("lead editor", _lead, HttpStatusCode.Forbidden, "command-not-permitted");
        var id = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        await Step(id, UnderstandProblem.Name, SampleCommands.UnderstandProblem(), _lead, covered, outsiderBeforeMandate);
        await Step(id, DefineGoals.Name, SampleCommands.DefineGoals(), _lead, covered, outsiderBeforeMandate);
        // The mandate commits budget and resources: the strategy office gives it, not the lead.
        await Step(id, MandateMeasure.Name, SampleCommands.Mandate(Lead, Participant, LeavingParticipant), _office, covered, outsiderBeforeMandate, leadNotPermitted);
        await Step(id, StartPilot.Name, SampleCommands.StartPilot(), _lead, covered, participantNotPermitted);
        await Step(id, ReportStatus.Name, SampleCommands.ReportStatus(), _lead, covered, participantNotPermitted);
        await Step(id, LinkPlan.Name, SampleCommands.LinkPlan(), _lead, covered, participantNotPermitted);
        await Step(id, UnlinkPlan.Name, SampleCommands.UnlinkPlan(), _lead, covered, participantNotPermitted);
        await Step(id, ReachMilestone.Name, SampleCommands.ReachMilestone(), _leaving, covered);
        await Step(id, MissMilestone.Name, SampleCommands.MissMilestone(), _participant, covered);
        await Step(id, RescheduleMilestone.Name, SampleCommands.RescheduleMilestone(), _lead, covered);
        await Step(id, RecordParticipation.Name, SampleCommands.RecordParticipation(), _participant, covered);
        await Step(id, RecordMeasurement.Name, SampleCommands.RecordMeasurement(), _participant, covered);
        await Step(id, RecordRisk.Name, SampleCommands.RecordRisk(), _lead, covered);
        await Step(id, ResolveRisk.Name, SampleCommands.ResolveRisk(), _lead, covered);
        await Step(id, AmendDetails.Name, SampleCommands.AmendDetails(), _lead, covered, participantNotPermitted);
        await Step(id, AssignExternalId.Name, SampleCommands.AssignExternalId(), _lead, covered, participantNotPermitted);
        // Leaving the team ends the right to change the measure.
        await Step(id, ChangeTeam.Name, new ChangeTeam([Participant], null), _lead, covered, participantNotPermitted);
        var leftTeam = ("participant who left the team", _leaving, HttpStatusCode.Forbidden, "measure-forbidden");
        await Step(id, StartEvaluation.Name, SampleCommands.StartEvaluation(), _lead, covered, leftTeam, participantNotPermitted);
        await Step(id, CompleteEvaluation.Name, SampleCommands.CompleteEvaluation(), _lead, covered, leftTeam, participantNotPermitted);
        await Step(id, IterateMeasure.Name, SampleCommands.Iterate(), _office, covered, leftTeam);
        await Step(id, StartPilot.Name, SampleCommands.StartPilot(), _lead, covered, leftTeam);
        await Step(id, StartEvaluation.Name, SampleCommands.StartEvaluation(), _lead, covered);
        await Step(id, CompleteEvaluation.Name, SampleCommands.CompleteEvaluation(), _lead, covered, participantNotPermitted);
        await Step(id, StopMeasure.Name, SampleCommands.Stop(), _lead, covered, leftTeam, participantNotPermitted);
        await Step(id, ArchiveMeasure.Name, SampleCommands.Archive(), _office, covered, leftTeam);

        var scaled = (await (await _office.PostJson("/api/measures", SampleCommands.Propose(Lead, "Skalierte Maßnahme"))).Read<CommandAccepted>()).MeasureId;
        foreach (var (command, body) in new (string, object)[]
        {
            (UnderstandProblem.Name, SampleCommands.UnderstandProblem()), (DefineGoals.Name, SampleCommands.DefineGoals()), (MandateMeasure.Name, SampleCommands.Mandate(Lead)),
            (StartPilot.Name, SampleCommands.StartPilot()), (StartEvaluation.Name, SampleCommands.StartEvaluation()), (CompleteEvaluation.Name, SampleCommands.CompleteEvaluation()),
        })
        {
            var caller = command == MandateMeasure.Name ? _office : _lead;
            (await caller.PostJson($"/api/measures/{scaled}/{command}", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        // Rolling out commits resources like the mandate: the strategy office's.
        await Step(scaled, ScaleMeasure.Name, SampleCommands.Scale(), _office, covered, leadNotPermitted);

        var withdrawn = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead, "Zurückgezogene Maßnahme"))).Read<CommandAccepted>()).MeasureId;
        await Step(withdrawn, WithdrawMeasure.Name, SampleCommands.Withdraw(), _lead, covered, outsiderBeforeMandate);

        // The programme tree is the strategy's structure: the strategy office's, not the lead's.
        var programme = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead, "Programm"))).Read<CommandAccepted>()).MeasureId;
        await Step(withdrawn, AttachToProgramme.Name, new AttachToProgramme(programme), _office, covered, leadNotPermitted);
        await Step(withdrawn, DetachFromProgramme.Name, new DetachFromProgramme(programme), _office, covered, leadNotPermitted);

        covered.Order().ShouldBe(MeasureLifecycle.Commands.Order(), "every command endpoint is checked");
    }

    [Fact]
    public async Task A_refusal_looks_the_same_whether_or_not_the_measure_exists()
    {
        var id = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        var outsider = api.ClientFor("ba-neukoelln", Roles.Editor);
        var existing = await (await outsider.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem(), ifMatch: "\"7\""))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "measure-forbidden");
        var missing = await (await outsider.PostJson($"/api/measures/{Guid.NewGuid()}/understand-problem", SampleCommands.UnderstandProblem(), ifMatch: "\"7\""))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "measure-forbidden");
        foreach (var field in new[] { "type", "title", "detail", "status" })
        {
            missing.GetProperty(field).ToString().ShouldBe(existing.GetProperty(field).ToString());
        }
        existing.EnumerateObject().Select(p => p.Name).Order().ShouldBe(missing.EnumerateObject().Select(p => p.Name).Order());
        existing.GetProperty("detail").GetString()!.ShouldNotContain(Lead);

        // The strategy office may act on every measure, so it learns that one does not exist.
        await (await _office.PostJson($"/api/measures/{Guid.NewGuid()}/understand-problem", SampleCommands.UnderstandProblem()))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "measure-not-found");
    }

    [Fact]
    public async Task Editors_propose_only_for_their_own_administration()
    {
        var mitte = api.ClientFor("ba-mitte", Roles.Editor);
        await (await mitte.PostJson("/api/measures", SampleCommands.Propose("ba-pankow", "Fremder Vorschlag")))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "proposal-forbidden");
        foreach (var role in new[] { Roles.Auditor, Roles.DashboardReader })
        {
            await (await api.ClientFor("ba-pankow", role).PostJson("/api/measures", SampleCommands.Propose("ba-pankow", "Fremder Vorschlag")))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        (await (await _office.GetAsync("/api/measures?lead=ba-pankow")).Read<MeasurePage>()).Total.ShouldBe(0);

        (await mitte.PostJson("/api/measures", SampleCommands.Propose("ba-mitte", "Eigener Vorschlag"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _office.PostJson("/api/measures", SampleCommands.Propose("ba-pankow", "Vorschlag der Senatskanzlei"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await (await _office.GetAsync("/api/measures?lead=ba-pankow")).Read<MeasurePage>()).Total.ShouldBe(1);
    }

    [Fact]
    public async Task History_is_for_auditors_the_strategy_office_and_editors_only()
    {
        var id = (await (await _lead.PostJson("/api/measures", SampleCommands.Propose(Lead))).Read<CommandAccepted>()).MeasureId;
        foreach (var client in new[] { api.ClientFor("skzl", Roles.Auditor), _office, api.ClientFor("ba-neukoelln", Roles.Editor) })
        {
            var history = await client.GetAsync($"/api/measures/{id}/events");
            history.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await history.Json()).GetProperty("items").EnumerateArray().Single().GetProperty("actor").GetString().ShouldNotBeNull();
        }
        // Everything that carries actor ids is closed to dashboard readers and anonymous callers.
        string[] audit = [$"/api/measures/{id}/events", $"/api/measures/{id}/history", $"/api/measures/{id}/export",
            $"/api/measures/{id}/integrity", "/api/audit/checkpoint"];
        foreach (var url in audit)
        {
            (await api.ClientFor("skzl", Roles.Auditor).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            await (await api.ClientFor("skzl", Roles.DashboardReader).GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await api.AnonymousClient().GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        // Dashboards are public; operating projections is the strategy office's.
        (await api.AnonymousClient().GetAsync("/api/dashboard/portfolio")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.ClientFor("skzl", Roles.DashboardReader).GetAsync("/api/dashboard/funnel")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await api.ClientFor("skzl", Roles.Auditor).PostJson("/api/admin/projections/monitoring/rebuild", new { }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await api.AnonymousClient().GetAsync("/api/admin/projections")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        // Projections are public: every role, and anonymous callers, read the measure's state.
        foreach (var client in new[] { api.ClientFor("skzl", Roles.DashboardReader), api.AnonymousClient() })
        {
            var state = await client.GetAsync($"/api/measures/{id}");
            state.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await state.Content.ReadAsStringAsync()).ShouldNotContain("actor");
        }
    }

    [Fact]
    public async Task OpenApi_documents_security_schemes_and_idempotency()
    {
        var doc = await (await api.AnonymousClient().GetAsync("/swagger/v1/swagger.json")).Json();
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("ApiKey").GetProperty("name").GetString().ShouldBe("X-Api-Key");
        schemes.GetProperty("Bearer").GetProperty("scheme").GetString().ShouldBe("bearer");

        var paths = doc.GetProperty("paths");
        var command = paths.GetProperty("/api/measures/{id}/understand-problem").GetProperty("post");
        command.GetProperty("security").GetArrayLength().ShouldBe(2);
        command.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("Idempotency-Key");
        foreach (var status in new[] { "401", "403", "413", "429", "503" })
        {
            command.GetProperty("responses").TryGetProperty(status, out _).ShouldBeTrue($"missing {status}");
        }
        var read = paths.GetProperty("/api/measures/{id}").GetProperty("get");
        read.TryGetProperty("security", out var security).ShouldBe(false, security.ValueKind == JsonValueKind.Undefined ? "" : security.ToString());
        // A public read needs no credentials but refuses bad ones: 401, and no 403.
        read.GetProperty("responses").TryGetProperty("401", out _).ShouldBeTrue();
        read.GetProperty("responses").TryGetProperty("403", out _).ShouldBeFalse();
        paths.GetProperty("/api/measures/{id}/events").GetProperty("get").GetProperty("responses").TryGetProperty("403", out _).ShouldBeTrue();
    }
}
