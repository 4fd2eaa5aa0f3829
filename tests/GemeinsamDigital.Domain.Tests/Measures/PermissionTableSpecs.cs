using GemeinsamDigital.Domain.Measures;
using P = GemeinsamDigital.Domain.Measures.TeamPosition;

namespace GemeinsamDigital.Domain.Tests.Measures;

/// <summary>
/// Every (role × position in the project team × command) triple against this test's own copy of
/// the permission table (written out here, not read from MeasurePermissions, so a change to the
/// table shows up as a failing row).
/// </summary>
public class PermissionTableSpecs
{
    private const string Lead = "lead";
    private const string Team = "lead, participating";
    private const string Office = "strategy office only";

    /// <summary>Command → the positions from which an editor may run it.</summary>
    private static readonly IReadOnlyDictionary<string, string> _editor = new Dictionary<string, string>
    {
        ["propose"] = Lead,
        ["understand-problem"] = Team,
        ["define-goals"] = Lead,
        ["mandate"] = Office,
        ["start-pilot"] = Lead,
        ["reach-milestone"] = Team,
        ["miss-milestone"] = Team,
        ["reschedule-milestone"] = Team,
        ["record-participation"] = Team,
        ["record-measurement"] = Team,
        ["record-risk"] = Team,
        ["resolve-risk"] = Team,
        ["start-evaluation"] = Lead,
        ["complete-evaluation"] = Lead,
        ["scale"] = Office,
        ["iterate"] = Lead,
        ["stop"] = Lead,
        ["withdraw"] = Lead,
        ["archive"] = Lead,
        ["amend-details"] = Lead,
        ["change-team"] = Lead,
        ["attach-to-programme"] = Office,
        ["detach-from-programme"] = Office,
        ["assign-external-id"] = Lead,
        ["set-location"] = Lead,
        ["report-status"] = Lead,
    };

    private static bool Expected(string role, P position, string command) => role switch
    {
        "strategy-office" => true,
        "editor" => _editor[command] switch
        {
            Team => position is P.Lead or P.Participating,
            Lead => position is P.Lead,
            _ => false,
        },
        _ => false,
    };

    public static TheoryData<string, P, string> Triples()
    {
        var data = new TheoryData<string, P, string>();
        foreach (var role in new[] { "strategy-office", "editor", "auditor", "dashboard-reader", "unknown-role" })
        {
            foreach (var position in Enum.GetValues<P>())
            {
                foreach (var command in _editor.Keys)
                {
                    data.Add(role, position, command);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Triples))]
    public void Every_role_in_every_position_may_run_exactly_the_commands_the_table_says(string role, P position, string command) =>
        MeasurePermissions.May(role, position, command).ShouldBe(Expected(role, position, command), $"{role} as {position} running {command}");

    [Fact]
    public void The_table_covers_the_proposal_and_every_command_on_a_measure() =>
        MeasurePermissions.Commands.Order().ShouldBe(MeasureLifecycle.Commands.Append(ProposeMeasure.Name).Order());

    [Fact]
    public void A_command_the_table_does_not_know_is_open_to_nobody()
    {
        foreach (var role in MeasurePermissions.Roles)
        {
            foreach (var position in Enum.GetValues<P>())
            {
                MeasurePermissions.May(role, position, "launch-rocket").ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void Any_role_of_a_caller_may_grant_the_command()
    {
        MeasurePermissions.May(["auditor", "editor"], P.Participating, "record-risk").ShouldBeTrue();
        MeasurePermissions.May(["auditor", "editor"], P.Participating, "change-team").ShouldBeFalse();
        MeasurePermissions.May(["editor", "strategy-office"], P.None, "mandate").ShouldBeTrue();
        MeasurePermissions.May([], P.Lead, "record-risk").ShouldBeFalse();
    }

    [Fact]
    public void Refusals_name_the_positions_that_may()
    {
        MeasurePermissions.AllowedPositions("change-team").ShouldBe([P.Lead]);
        MeasurePermissions.AllowedPositions("record-measurement").ShouldBe([P.Lead, P.Participating]);
        MeasurePermissions.AllowedPositions("mandate").ShouldBeEmpty();
        MeasurePermissions.AllowedPositions("scale").ShouldBeEmpty();
    }

    [Fact]
    public void The_position_comes_from_the_measures_lead_and_team()
    {
        var mandated = Histories.StateIn(MeasureStage.Mandated);
        MeasurePermissions.PositionOf(SampleCommands.Lead, mandated).ShouldBe(P.Lead);
        MeasurePermissions.PositionOf("senmvku", mandated).ShouldBe(P.Participating);
        MeasurePermissions.PositionOf("ba-neukoelln", mandated).ShouldBe(P.None);
        MeasurePermissions.PositionOf(null, mandated).ShouldBe(P.None);
        MeasurePermissions.PositionOf("", mandated).ShouldBe(P.None);
        MeasurePermissions.PositionOf(SampleCommands.Lead, null).ShouldBe(P.None, "an unknown measure has no team");
        // Before the mandate the team is the proposing lead alone.
        MeasurePermissions.PositionOf("senmvku", Histories.StateIn(MeasureStage.Idea)).ShouldBe(P.None);
    }
}
