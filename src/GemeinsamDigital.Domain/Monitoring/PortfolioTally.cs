using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Monitoring;

/// <summary>Rows that keep the portfolio's sums over all of them up to date (the live rows a node keeps).</summary>
public interface IPortfolioTallied
{
    PortfolioTally Portfolio { get; }
}

/// <summary>
/// The portfolio's and places' figures as sums over measures. Every figure is a sum of what each
/// measure contributes, so a changed measure is taken out as it was and put back as it is: kept
/// this way, the unfiltered portfolio costs the changed measures, not all of them.
/// </summary>
public sealed class PortfolioTally
{
    private readonly Dictionary<MeasureStage, int> _stages;
    private readonly Dictionary<string, int> _types;
    private readonly Dictionary<string, int> _perspectives;
    private readonly Dictionary<string, int> _contributing;
    private readonly Dictionary<string, int> _weightSums;
    private readonly Dictionary<string, int> _leads;
    private readonly Dictionary<string, int> _participating;
    private readonly Dictionary<string, int> _byDistrict;
    private int _measures;
    private int _withGoals;
    private int _located;

    public PortfolioTally()
    {
        _stages = [];
        _types = new(StringComparer.Ordinal);
        _perspectives = new(StringComparer.Ordinal);
        _contributing = new(StringComparer.Ordinal);
        _weightSums = new(StringComparer.Ordinal);
        _leads = new(StringComparer.Ordinal);
        _participating = new(StringComparer.Ordinal);
        _byDistrict = new(StringComparer.Ordinal);
    }

    private PortfolioTally(PortfolioTally other)
    {
        _stages = new(other._stages);
        _types = new(other._types, StringComparer.Ordinal);
        _perspectives = new(other._perspectives, StringComparer.Ordinal);
        _contributing = new(other._contributing, StringComparer.Ordinal);
        _weightSums = new(other._weightSums, StringComparer.Ordinal);
        _leads = new(other._leads, StringComparer.Ordinal);
        _participating = new(other._participating, StringComparer.Ordinal);
        _byDistrict = new(other._byDistrict, StringComparer.Ordinal);
        _measures = other._measures;
        _withGoals = other._withGoals;
        _located = other._located;
    }

    public static PortfolioTally Of(IReadOnlyList<MonitoringRow> rows)
    {
        var tally = new PortfolioTally();
        for (var i = 0; i < rows.Count; i++)
        {
            tally.Add(rows[i].Measure);
        }
        return tally;
    }

    /// <summary>A copy to change while this one stays as it is (it belongs to an immutable row set).</summary>
    public PortfolioTally Copy() => new(this);

    public void Add(MeasureState measure) => Apply(measure, 1);

    public void Remove(MeasureState measure) => Apply(measure, -1);

    // Indexed loops, no Distinct: this runs per measure at every load, and per-measure enumerators and
    // sets were most of what a node allocated at 100,000 measures.
    private void Apply(MeasureState m, int sign)
    {
        _measures += sign;
        Increment(_stages, m.Stage, sign);
        Increment(_types, m.Type, sign);
        Increment(_leads, m.Lead, sign);
        // A measure counts once per code, however often it lists it.
        var perspectives = m.Perspectives;
        for (var p = 0; p < perspectives.Count; p++)
        {
            if (!RepeatsEarlier(perspectives, p))
            {
                Increment(_perspectives, perspectives[p], sign);
            }
        }
        // Each declared contribution counts (as the weights do), not each measure.
        var contributions = m.Contributions;
        for (var c = 0; c < contributions.Count; c++)
        {
            Increment(_weightSums, contributions[c].Principle, sign * contributions[c].Weight);
            Increment(_contributing, contributions[c].Principle, contributions[c].Weight > 0 ? sign : 0);
        }
        _withGoals += contributions.Count > 0 ? sign : 0;
        var administrations = m.Participating;
        for (var a = 0; a < administrations.Count; a++)
        {
            if (!RepeatsEarlier(administrations, a) && administrations[a] != m.Lead)
            {
                Increment(_participating, administrations[a], sign);
            }
        }
        if (m.Location is { } location)
        {
            _located += sign;
            for (var d = 0; d < location.Districts.Count; d++)
            {
                if (!RepeatsEarlier(location.Districts, d))
                {
                    Increment(_byDistrict, location.Districts[d], sign);
                }
            }
        }
    }

    public PortfolioFigures Figures() => new(
        _measures,
        _withGoals,
        [.. Enum.GetValues<MeasureStage>().Select(s => new StageFigure(s, s.Label(), _stages.GetValueOrDefault(s)))],
        [.. StrategyCatalog.MeasureTypes.Select(t => new CountFigure(t.Code, t.Label, _types.GetValueOrDefault(t.Code)))],
        [.. StrategyCatalog.FuturePerspectives.Select(p => new CountFigure(p.Code, p.Label, _perspectives.GetValueOrDefault(p.Code)))],
        [.. StrategyCatalog.GuidingPrinciples.Select(p =>
        {
            var sum = _weightSums.GetValueOrDefault(p.Code);
            return new PrincipleFigure(p.Code, p.Label, _contributing.GetValueOrDefault(p.Code), sum,
                DashboardMath.Round((decimal)sum / DefineGoals.MaxWeight, 2), DashboardMath.Ratio(sum, DefineGoals.MaxWeight * _withGoals));
        })],
        // Leads of no measure (any more) are not listed.
        [.. StrategyCatalog.Administrations.Where(a => _leads.GetValueOrDefault(a.Code) > 0)
            .Select(a => new CountFigure(a.Code, a.Label, _leads[a.Code]))
            .OrderByDescending(f => f.Measures).ThenBy(f => f.Code, StringComparer.Ordinal)],
        [.. StrategyCatalog.Administrations.Where(a => StrategyCatalog.IsDistrict(a.Code)).Select(d =>
        {
            var led = _leads.GetValueOrDefault(d.Code);
            var participates = _participating.GetValueOrDefault(d.Code);
            return new DistrictFigure(d.Code, d.Label, led + participates, led, participates);
        })]);

    public PlaceFigures Places() => new(_located, _measures - _located,
        [.. StrategyCatalog.Districts.Select(d => new CountFigure(d.Code, d.Label, _byDistrict.GetValueOrDefault(d.Code)))]);

    /// <summary>Whether the code at <paramref name="index"/> already came earlier in the (short) list.</summary>
    private static bool RepeatsEarlier(IReadOnlyList<string> codes, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(codes[i], codes[index], StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static void Increment<TKey>(Dictionary<TKey, int> counts, TKey key, int by) where TKey : notnull
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        count += by;
    }
}
