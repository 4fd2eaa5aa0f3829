namespace GemeinsamDigital.Api.Tests.Infrastructure;

public enum PostgresSourceKind
{
    /// <summary>GD_TEST_POSTGRES names a server.</summary>
    Explicit,
    /// <summary>A Docker engine answers: Testcontainers starts PostgreSQL.</summary>
    Testcontainers,
    /// <summary>A throwaway local cluster from the installed binaries (build/pg.sh).</summary>
    LocalCluster,
    /// <summary>Nothing available.</summary>
    None,
}

/// <summary>Which PostgreSQL the tests use, in order: explicit, Testcontainers, local cluster.</summary>
public static class PostgresSource
{
    public const string EnvironmentVariable = "GD_TEST_POSTGRES";

    public static PostgresSourceKind Choose(string? explicitConnectionString, bool dockerAnswers, bool localBinariesExist) =>
        !string.IsNullOrWhiteSpace(explicitConnectionString) ? PostgresSourceKind.Explicit
        : dockerAnswers ? PostgresSourceKind.Testcontainers
        : localBinariesExist ? PostgresSourceKind.LocalCluster
        : PostgresSourceKind.None;
}
