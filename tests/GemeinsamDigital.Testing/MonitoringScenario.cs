using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Testing;

/// <summary>One measure of the scenario: its id, title and decided events with their recorded times.</summary>
public sealed record ScenarioMeasure(Guid Id, string Title, IReadOnlyList<(IMeasureEvent Event, DateTimeOffset At)> Events);

/// <summary>
/// A known portfolio for the monitoring dashboards: seven measures in every kind of stage, each
/// step decided by the domain and recorded at 09:00 UTC on the given day. The figures tests expect
/// are worked out by hand from these dates (see the comments). "Now" is <see cref="Now"/>.
/// </summary>
public static class MonitoringScenario
{
    public static readonly DateTimeOffset Now = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid Kiezradar = Id(1);
    public static readonly Guid Ratsdaten = Id(2);
    public static readonly Guid Sensorbaenke = Id(3);
    public static readonly Guid Sprechstunde = Id(4);
    public static readonly Guid Klimadaten = Id(5);
    public static readonly Guid IdeeOhneFolge = Id(6);
    public static readonly Guid SchulWlan = Id(7);

    /// <summary>In append order; a fresh store gives Kiezradar sequences 1–10, Ratsdaten 11–22, Sensorbänke 23–33,
    /// Sprechstunde 34–36, Klimadaten 37–39, Idee ohne Folge 40, Schul-WLAN 41–54.</summary>
    public static IReadOnlyList<ScenarioMeasure> Measures() =>
    [
        // Pilot since 2024-04-01 (10 events); m2 missed and open, due 2024-10-01.
        Measure(Kiezradar, new(2024, 1, 1), Proposal("Kiezradar Pankow", "dezentral", "ba-pankow", ["zp1", "zp5"]))
            .Then(new(2024, 1, 11), new UnderstandProblem(
                [new("Anwohnende", "zivilgesellschaft", null), new("Kinder im Kiez", "stille-gruppen", "kinder-jugendliche")], "Zählungen."))
            .Then(new(2024, 1, 31), Goals(1, 3, 0, 2, ["zp1", "zp5"], new IndicatorInput("nutzer", "Aktive Nutzende", "Personen", 0, 100)))
            .Then(new(2024, 3, 1), Mandate("ba-pankow", "senmvku", "ba-mitte"))
            .Then(new(2024, 4, 1), Pilot(new(2024, 4, 1), new(2025, 3, 31), ("m1", new(2024, 6, 1)), ("m2", new(2024, 10, 1))))
            .Then(new(2024, 5, 30), new ReachMilestone("m1", new(2024, 5, 30)))
            .Then(new(2024, 6, 15), new RecordParticipation("vor-ort", new(2024, 6, 15), ["zivilgesellschaft", "stille-gruppen", "staat"], ["kinder-jugendliche"], 40, null))
            .Then(new(2024, 7, 1), new RecordMeasurement("nutzer", 30, new(2024, 7, 1), "Zählung"))
            .Then(new(2024, 10, 5), new MissMilestone("m2", "Lieferverzug."))
            .Then(new(2024, 11, 1), new RecordMeasurement("nutzer", 50, new(2024, 11, 1), "Zählung"))
            .Build(),

        // Scaled (made permanent) on 2024-06-04 (12 events).
        Measure(Ratsdaten, new(2023, 6, 1), Proposal("Offene Ratsdaten", "zentral", "skzl", ["zp7"]))
            .Then(new(2023, 6, 21), new UnderstandProblem([new("Verwaltung", "staat", null)], "Anfragen."))
            .Then(new(2023, 7, 21), Goals(0, 2, 1, 3, ["zp7"], new IndicatorInput("datensaetze", "Offene Datensätze", "Anzahl", 10, 50)))
            .Then(new(2023, 9, 1), Mandate("skzl", "itdz", "ba-mitte", "senfin"))
            .Then(new(2023, 10, 1), Pilot(new(2023, 10, 1), new(2024, 3, 31), ("a", new(2023, 12, 1))))
            .Then(new(2023, 11, 1), new RecordParticipation("fachworkshop", new(2023, 11, 1), ["staat", "wirtschaft", "wissenschaft"], [], 25, null))
            .Then(new(2023, 11, 20), new ReachMilestone("a", new(2023, 11, 20)))
            .Then(new(2024, 1, 15), new RecordMeasurement("datensaetze", 35, new(2024, 1, 15), "Portal"))
            .Then(new(2024, 3, 20), new RecordMeasurement("datensaetze", 52, new(2024, 3, 20), "Portal"))
            .Then(new(2024, 4, 5), new StartEvaluation(null))
            .Then(new(2024, 5, 5), Evaluation("datensaetze", met: true))
            .Then(new(2024, 6, 4), new ScaleMeasure("permanent", [], "Dauerbetrieb."))
            .Build(),

        // Stopped on 2024-08-09 (11 events).
        Measure(Sensorbaenke, new(2023, 9, 1), Proposal("Sensorbänke am Leopoldplatz", "dezentral", "ba-mitte", ["zp2"]))
            .Then(new(2023, 9, 11), new UnderstandProblem([new("Menschen mit Behinderung", "stille-gruppen", "menschen-mit-behinderung")], "Begehung."))
            .Then(new(2023, 10, 1), Goals(2, 3, 2, 1, ["zp2"], new IndicatorInput("beschwerden", "Beschwerden je Monat", "Anzahl", 20, 10)))
            .Then(new(2023, 11, 1), Mandate("ba-mitte", "senmvku"))
            .Then(new(2023, 12, 1), Pilot(new(2023, 12, 1), new(2024, 5, 31), ("x", new(2024, 2, 1))))
            .Then(new(2024, 1, 25), new ReachMilestone("x", new(2024, 1, 25)))
            .Then(new(2024, 2, 10), new RecordParticipation("online-umfrage", new(2024, 2, 10), ["zivilgesellschaft", "stille-gruppen"],
                ["menschen-mit-behinderung", "wohnungslose"], 120, null))
            .Then(new(2024, 4, 1), new RecordMeasurement("beschwerden", 18, new(2024, 4, 1), "Bürgeramt"))
            .Then(new(2024, 6, 10), new StartEvaluation(null))
            .Then(new(2024, 7, 10), Evaluation("beschwerden", met: false))
            .Then(new(2024, 8, 9), new StopMeasure("Kaum Wirkung.", ["Früher messen."]))
            .Build(),

        // Withdrawn on 2024-04-14 (3 events).
        Measure(Sprechstunde, new(2024, 3, 1), Proposal("Digitale Sprechstunde", "arena-der-ideen", "seninnsport", ["zp7", "zp6"], "arena-der-ideen"))
            .Then(new(2024, 3, 15), new UnderstandProblem([new("Ratsuchende", "zivilgesellschaft", null)], "Vorschläge."))
            .Then(new(2024, 4, 14), new WithdrawMeasure("Doppelt."))
            .Build(),

        // Goals defined on 2024-07-15, nothing since (3 events).
        Measure(Klimadaten, new(2024, 6, 1), Proposal("Klimadaten-Kooperation", "netzwerk", "hiig", ["zp4"], "netzwerkpartner"))
            .Then(new(2024, 6, 15), new UnderstandProblem([new("Forschung", "wissenschaft", null)], "Studien."))
            .Then(new(2024, 7, 15), Goals(3, 2, 2, 3, ["zp4", "zp3"], new IndicatorInput("partner", "Beteiligte Partner", "Anzahl", 2, 10)))
            .Build(),

        // An idea of 2024-12-20 (1 event).
        Measure(IdeeOhneFolge, new(2024, 12, 20), Proposal("Idee ohne Folge", "dezentral", "ba-neukoelln", ["zp1"])).Build(),

        // Iterated on 2024-01-04, second pilot since 2024-02-01 (14 events); q2 open, due 2024-12-01.
        Measure(SchulWlan, new(2023, 2, 1), Proposal("Schul-WLAN", "dezentral", "senbjf", ["zp6"]))
            .Then(new(2023, 2, 11), new UnderstandProblem([new("Schülerinnen und Schüler", "stille-gruppen", "kinder-jugendliche")], "Umfrage."))
            .Then(new(2023, 3, 13), Goals(1, 3, 1, 2, ["zp6"], new IndicatorInput("schulen", "Schulen mit WLAN", "%", 10, 60)))
            .Then(new(2023, 4, 12), Mandate("senbjf", "ba-neukoelln", "itdz"))
            .Then(new(2023, 5, 1), Pilot(new(2023, 5, 1), new(2023, 10, 31), ("p1", new(2023, 7, 1))))
            .Then(new(2023, 6, 28), new ReachMilestone("p1", new(2023, 6, 28)))
            .Then(new(2023, 9, 1), new RecordMeasurement("schulen", 30, new(2023, 9, 1), "Schulamt"))
            .Then(new(2023, 11, 5), new StartEvaluation(null))
            .Then(new(2023, 12, 5), Evaluation("schulen", met: false))
            .Then(new(2024, 1, 4), new IterateMeasure("Zweiter Zyklus."))
            .Then(new(2024, 2, 1), Pilot(new(2024, 2, 1), new(2024, 12, 31), ("q1", new(2024, 6, 1)), ("q2", new(2024, 12, 1))))
            .Then(new(2024, 3, 10), new RecordParticipation("kiezlabor", new(2024, 3, 10), ["zivilgesellschaft", "stille-gruppen", "staat"],
                ["kinder-jugendliche", "fluchterfahrung"], 60, null))
            .Then(new(2024, 5, 20), new ReachMilestone("q1", new(2024, 5, 20)))
            .Then(new(2024, 9, 1), new RecordMeasurement("schulen", 45, new(2024, 9, 1), "Schulamt"))
            .Build(),
    ];

    public static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    private static Guid Id(int n) => Guid.Parse($"0193b000-0000-7000-8000-{n:D12}");

    private static ProposeMeasure Proposal(string title, string type, string lead, string[] perspectives, string source = "verwaltung") =>
        new(title, $"Problem von {title}.", $"Beschreibung von {title}.", type, lead, perspectives,
            new IdeaSourceInput(source, source == "verwaltung" ? lead : null, null));

    private static DefineGoals Goals(int nachhaltig, int gemeinwohl, int resilient, int kooperativ, string[] perspectives, IndicatorInput indicator) => new(
        [
            new("nachhaltig", nachhaltig, "Begründung."),
            new("gemeinwohlorientiert", gemeinwohl, "Begründung."),
            new("resilient", resilient, "Begründung."),
            new("kooperativ", kooperativ, "Begründung."),
        ],
        perspectives,
        [indicator]);

    private static MandateMeasure Mandate(string lead, params string[] participating) =>
        new(lead, participating, new BudgetInput(100_000m, "EUR"), "Landeshaushalt", [new ResponsibilityInput(lead, "Projektleitung")]);

    private static StartPilot Pilot(DateOnly start, DateOnly end, params (string Id, DateOnly Due)[] milestones) =>
        new("Erproben.", start, end, [.. milestones.Select(m => new MilestoneInput(m.Id, $"Meilenstein {m.Id}", m.Due))]);

    private static CompleteEvaluation Evaluation(string indicator, bool met) => new(
        [new IndicatorFindingInput(indicator, met ? "Erreicht." : "Verfehlt.", met)],
        [
            new PrincipleFindingInput("nachhaltig", "Befund."),
            new PrincipleFindingInput("gemeinwohlorientiert", "Befund."),
            new PrincipleFindingInput("resilient", "Befund."),
            new PrincipleFindingInput("kooperativ", "Befund."),
        ],
        ["Lehre."]);

    private static Builder Measure(Guid id, DateOnly proposedOn, ProposeMeasure proposal) => new(id, proposal.Title!, proposedOn, MeasureLifecycle.Propose(id, proposal));

    private sealed class Builder
    {
        private readonly Guid _id;
        private readonly string _title;
        private readonly List<(IMeasureEvent, DateTimeOffset)> _events = [];
        private MeasureState? _state;

        public Builder(Guid id, string title, DateOnly on, Decision proposed)
        {
            _id = id;
            _title = title;
            Record(on, proposed);
        }

        public Builder Then<TCommand>(DateOnly on, TCommand command) where TCommand : IMeasureCommand
        {
            Record(on, MeasureLifecycle.Decide(_state!, command));
            return this;
        }

        public ScenarioMeasure Build() => new(_id, _title, _events);

        private void Record(DateOnly on, Decision decision)
        {
            if (decision.Rejection is { } rejection)
            {
                throw new InvalidOperationException($"Scenario '{_title}' on {on}: {rejection.Detail}");
            }
            foreach (var e in decision.Events)
            {
                _state = MeasureEvolution.Evolve(_state, e, new EventInfo((_state?.Version ?? 0) + 1, At(on)));
                _events.Add((e, At(on)));
            }
        }
    }
}
