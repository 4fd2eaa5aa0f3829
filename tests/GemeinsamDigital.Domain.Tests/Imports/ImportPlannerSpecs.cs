using System.Text.Json;
using GemeinsamDigital.Domain.Imports;
using GemeinsamDigital.Domain.Measures;
using static GemeinsamDigital.Domain.Tests.Measures.Spec;

namespace GemeinsamDigital.Domain.Tests.Imports;

/// <summary>plan(row, measure) → commands, given-when-then without a database.</summary>
public class ImportPlannerSpecs
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ImportRow Row(MeasureStage? stage = null) => new()
    {
        Row = 2,
        ExternalId = "BA-CW-1",
        Lead = SampleCommands.Lead,
        Stage = stage,
        Title = SampleCommands.Title,
        ProblemStatement = SampleCommands.Propose().ProblemStatement,
        Description = SampleCommands.Propose().Description,
        Type = "dezentral",
        Perspectives = ["zp1", "zp2"],
    };

    private static ImportRow WithPilot(ImportRow row) => row with
    {
        AffectedGroups = SampleCommands.UnderstandProblem().AffectedGroups,
        Evidence = SampleCommands.UnderstandProblem().Evidence,
        Contributions = SampleCommands.DefineGoals().Contributions,
        Indicators = SampleCommands.DefineGoals().Indicators,
        Participating = SampleCommands.Mandate().Participating,
        Budget = 250_000m,
        FundingSource = SampleCommands.Mandate().FundingSource,
        Responsibilities = SampleCommands.Mandate().Responsibilities,
        Plan = SampleCommands.StartPilot().Plan,
        PilotStart = SampleCommands.PilotStart,
        PilotEnd = SampleCommands.PilotEnd,
        Milestones = SampleCommands.StartPilot().Milestones,
    };

    private static RowPlan Plan(ImportRow row, MeasureState? current = null) => ImportPlanner.Plan(row, current, MeasureId, Today, At);

    [Fact]
    public void An_unknown_measure_is_proposed_with_its_external_id()
    {
        var plan = Plan(Row());
        plan.Outcome.ShouldBe(ImportOutcome.Create);
        plan.Commands.Select(c => c.Name).ShouldBe([ProposeMeasure.Name]);
        plan.After!.ExternalId.ShouldBe("BA-CW-1");
        plan.After.Stage.ShouldBe(MeasureStage.Idea);
    }

    [Fact]
    public void The_columns_imply_the_steps_when_no_stage_is_named()
    {
        var plan = Plan(WithPilot(Row()));
        plan.Commands.Select(c => c.Name).ShouldBe([ProposeMeasure.Name, UnderstandProblem.Name, DefineGoals.Name, MandateMeasure.Name, StartPilot.Name]);
        plan.After!.Stage.ShouldBe(MeasureStage.Pilot);
    }

    [Fact]
    public void A_named_stage_needs_the_columns_of_every_step_up_to_it_and_says_which_are_missing()
    {
        var plan = Plan(Row(MeasureStage.GoalsDefined) with { Evidence = "Zählungen" });
        plan.Outcome.ShouldBe(ImportOutcome.Rejected);
        plan.Errors.Keys.ShouldContain("affectedGroups");
        plan.Commands.ShouldBeEmpty();
    }

    [Fact]
    public void The_same_row_again_is_unchanged_and_plans_no_command()
    {
        var created = Plan(WithPilot(Row())).After!;
        var again = Plan(WithPilot(Row()), created);
        again.Outcome.ShouldBe(ImportOutcome.Unchanged);
        again.Commands.ShouldBeEmpty();
    }

    [Fact]
    public void Empty_cells_keep_what_the_measure_has()
    {
        var created = Plan(WithPilot(Row())).After!;
        Plan(new ImportRow { Row = 3, ExternalId = "BA-CW-1", Lead = SampleCommands.Lead }, created).Outcome.ShouldBe(ImportOutcome.Unchanged);
    }

    [Fact]
    public void A_changed_title_is_amend_details_with_only_what_changed()
    {
        var created = Plan(Row()).After!;
        var plan = Plan(Row() with { Title = "  Neuer Titel " }, created);
        plan.Outcome.ShouldBe(ImportOutcome.Update);
        plan.Changes.ShouldBe(["title"]);
        plan.Commands.Single().Command.ShouldBe(new AmendDetails("Neuer Titel", null, null));
    }

    [Fact]
    public void A_known_measure_moves_only_through_the_steps_still_ahead()
    {
        var idea = Plan(Row()).After!;
        var plan = Plan(WithPilot(Row()) with { Stage = MeasureStage.Mandated }, idea);
        plan.Commands.Select(c => c.Name).ShouldBe([UnderstandProblem.Name, DefineGoals.Name, MandateMeasure.Name]);
        plan.After!.Stage.ShouldBe(MeasureStage.Mandated);
    }

    [Fact]
    public void An_import_never_moves_a_measure_back()
    {
        var pilot = Plan(WithPilot(Row())).After!;
        Plan(WithPilot(Row()) with { Stage = MeasureStage.Idea }, pilot).Outcome.ShouldBe(ImportOutcome.Unchanged);
    }

    [Fact]
    public void A_changed_team_after_the_mandate_is_change_team()
    {
        var pilot = Plan(WithPilot(Row())).After!;
        var plan = Plan(WithPilot(Row()) with { Participating = ["senmvku"] }, pilot);
        plan.Commands.Select(c => c.Name).ShouldBe([ChangeTeam.Name]);
        plan.Changes.ShouldBe(["participating"]);
        plan.After!.Participating.ShouldBe(["senmvku"]);
    }

    [Fact]
    public void The_same_team_in_another_order_is_unchanged()
    {
        var pilot = Plan(WithPilot(Row())).After!;
        Plan(WithPilot(Row()) with { Participating = [.. SampleCommands.Mandate().Participating!.Reverse()] }, pilot).Outcome.ShouldBe(ImportOutcome.Unchanged);
    }

    [Fact]
    public void A_new_due_date_of_an_open_milestone_reschedules_it()
    {
        var pilot = Plan(WithPilot(Row())).After!;
        var milestones = SampleCommands.StartPilot().Milestones!.Select(m => m.Id == "m2" ? m with { Due = new DateOnly(2024, 12, 1) } : m).ToList();
        var plan = Plan(WithPilot(Row()) with { Milestones = milestones }, pilot);
        plan.Commands.Single().Command.ShouldBe(new RescheduleMilestone("m2", new DateOnly(2024, 12, 1)));
    }

    [Theory]
    [InlineData("type")]
    [InlineData("evidence")]
    [InlineData("budget")]
    [InlineData("plan")]
    public void A_value_no_command_changes_rejects_the_row_naming_its_column(string column)
    {
        var pilot = Plan(WithPilot(Row())).After!;
        var changed = column switch
        {
            "type" => WithPilot(Row()) with { Type = "zentral" },
            "evidence" => WithPilot(Row()) with { Evidence = "Andere Belege" },
            "budget" => WithPilot(Row()) with { Budget = 1m },
            _ => WithPilot(Row()) with { Plan = "Anderer Plan" },
        };
        var plan = Plan(changed, pilot);
        plan.Outcome.ShouldBe(ImportOutcome.Rejected);
        plan.Errors.Keys.ShouldBe([column]);
    }

    [Fact]
    public void A_step_the_lifecycle_does_not_allow_is_rejected_on_the_stage_column()
    {
        var withdrawn = Given(
            (MeasureProposed)MeasureLifecycle.Propose(MeasureId, SampleCommands.Propose() with { ExternalId = "BA-CW-1" }).ThenEvents().Single(),
            new MeasureWithdrawn("doppelt"));
        var plan = Plan(WithPilot(Row()), withdrawn);
        plan.Outcome.ShouldBe(ImportOutcome.Rejected);
        plan.Errors.Keys.ShouldBe(["stage"]);
    }

    [Fact]
    public void A_command_fields_problem_is_named_by_its_column()
    {
        var plan = Plan(WithPilot(Row()) with { PilotEnd = new DateOnly(2024, 1, 1) });
        plan.Outcome.ShouldBe(ImportOutcome.Rejected);
        plan.Errors.Keys.ShouldContain("pilotEnd");
    }

    [Fact]
    public void Without_external_id_or_lead_a_row_is_rejected()
    {
        Plan(Row() with { ExternalId = null }).Errors.Keys.ShouldBe(["externalId"]);
        Plan(Row() with { Lead = null }).Errors.Keys.ShouldBe(["lead"]);
    }
}

/// <summary>Cells → typed rows: the spreadsheet's spellings.</summary>
public class ImportRowReaderSpecs
{
    private static Dictionary<string, JsonElement> Cells(params (string Column, string Value)[] cells) =>
        cells.ToDictionary(c => c.Column, c => JsonSerializer.SerializeToElement(c.Value));

    [Fact]
    public void Column_names_are_read_in_any_casing_and_codes_split_on_semicolons_commas_and_bars()
    {
        var errors = new FieldErrors();
        var row = ImportRowReader.Read(2, Cells(("ExternalID", "x"), ("PERSPECTIVES", "zp1; zp2|zp3,zp4")), false, errors);
        errors.Any.ShouldBeFalse();
        row.ExternalId.ShouldBe("x");
        row.Perspectives.ShouldBe(["zp1", "zp2", "zp3", "zp4"]);
    }

    [Theory]
    [InlineData("250000,50", true, "250000.50")]
    [InlineData("250.000,50", true, "250000.50")]
    [InlineData("250000.50", true, "250000.50")]
    [InlineData("250000.50", false, "250000.50")]
    public void Numbers_take_a_decimal_comma_in_files_separated_by_semicolons(string cell, bool decimalComma, string expected)
    {
        var errors = new FieldErrors();
        ImportRowReader.Read(2, Cells(("budget", cell)), decimalComma, errors).Budget.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        errors.Any.ShouldBeFalse();
    }

    [Fact]
    public void Dates_are_iso_or_german()
    {
        var errors = new FieldErrors();
        var row = ImportRowReader.Read(2, Cells(("pilotStart", "01.03.2024"), ("pilotEnd", "2025-02-28")), true, errors);
        row.PilotStart.ShouldBe(new DateOnly(2024, 3, 1));
        row.PilotEnd.ShouldBe(new DateOnly(2025, 2, 28));
    }

    [Fact]
    public void Unknown_columns_with_values_bad_numbers_dates_lists_and_stages_are_named()
    {
        var errors = new FieldErrors();
        ImportRowReader.Read(2, Cells(("bemerkung", "x"), ("budget", "viel"), ("pilotStart", "März"), ("milestones", "[{"), ("stage", "evaluated")), true, errors);
        errors.ToDictionary().Keys.ShouldBe(["bemerkung", "budget", "pilotStart", "milestones", "stage"], ignoreOrder: true);
    }

    [Fact]
    public void Districts_join_the_participating_administrations()
    {
        var errors = new FieldErrors();
        ImportRowReader.Read(2, Cells(("participating", "senmvku"), ("districts", "ba-pankow;ba-mitte")), false, errors)
            .Participating.ShouldBe(["senmvku", "ba-pankow", "ba-mitte"]);
    }

    [Fact]
    public void Empty_cells_are_not_given()
    {
        var errors = new FieldErrors();
        var row = ImportRowReader.Read(2, Cells(("title", "  "), ("bemerkung", "")), false, errors);
        row.Title.ShouldBeNull();
        errors.Any.ShouldBeFalse();
    }
}
