using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Http;

/// <summary>The one asOf contract (README, "Changelog"), without a database: what every endpoint that reads the past accepts.</summary>
public class AsOfContractTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.0000000+00:00")]
    [InlineData("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00.0000000+00:00")]
    [InlineData("2024-05-01T14:00:00 02:00", "2024-05-01T12:00:00.0000000+00:00")] // an unencoded '+' arrives as a space
    [InlineData("2024-05-01T10:00:00-02:00", "2024-05-01T12:00:00.0000000+00:00")]
    [InlineData("2024-05-01T12:00Z", "2024-05-01T12:00:00.0000000+00:00")]
    [InlineData("2024-05-01T12:00:00.1234567Z", "2024-05-01T12:00:00.1234567+00:00")]
    [InlineData(" 2025-01-15T12:00:00Z ", "2025-01-15T12:00:00.0000000+00:00")] // now itself is not the future
    public void A_date_and_time_with_offset_is_taken_as_given_in_UTC(string raw, string expected)
    {
        var errors = new FieldErrors();
        AsOf.Parse(raw, _now, errors)!.Value.ToString("O").ShouldBe(expected);
        errors.Any.ShouldBeFalse();
    }

    [Fact]
    public void A_date_alone_is_the_start_of_that_day_in_UTC_on_every_endpoint()
    {
        var errors = new FieldErrors();
        AsOf.Parse("2024-01-01", _now, errors).ShouldBe(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        errors.Any.ShouldBeFalse();
    }

    [Theory]
    [InlineData("gestern")]
    [InlineData("2024-01-15T10:00:00")] // no offset: which moment is meant is unknown
    [InlineData("2024-13-45T10:00:00Z")]
    [InlineData("2024-02-30")]
    [InlineData("2024-01-15T10:00:00+0100")]
    [InlineData("1704067200")]
    public void Anything_else_is_refused_naming_asOf(string raw)
    {
        var errors = new FieldErrors();
        AsOf.Parse(raw, _now, errors).ShouldBeNull();
        errors.ToDictionary()[AsOf.Field].ShouldHaveSingleItem().ShouldContain("ISO 8601");
    }

    [Theory]
    [InlineData("2025-01-15T12:00:01Z")]
    [InlineData("2025-01-15T13:00:01+01:00")]
    [InlineData("2025-01-16")]
    public void The_future_is_refused(string raw)
    {
        var errors = new FieldErrors();
        AsOf.Parse(raw, _now, errors).ShouldBeNull();
        errors.ToDictionary()[AsOf.Field].ShouldHaveSingleItem().ShouldContain("future");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_means_not_given(string? raw)
    {
        var errors = new FieldErrors();
        AsOf.Parse(raw, _now, errors).ShouldBeNull();
        errors.Any.ShouldBeFalse();
    }
}
