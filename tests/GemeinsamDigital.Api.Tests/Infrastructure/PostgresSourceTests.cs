namespace GemeinsamDigital.Api.Tests.Infrastructure;

public class PostgresSourceTests
{
    [Theory]
    [InlineData("Host=db;Username=u", true, true, PostgresSourceKind.Explicit)]
    [InlineData("Host=db;Username=u", false, false, PostgresSourceKind.Explicit)]
    [InlineData(null, true, true, PostgresSourceKind.Testcontainers)]
    [InlineData("", true, false, PostgresSourceKind.Testcontainers)]
    [InlineData(null, false, true, PostgresSourceKind.LocalCluster)]
    [InlineData("  ", false, true, PostgresSourceKind.LocalCluster)]
    [InlineData(null, false, false, PostgresSourceKind.None)]
    public void Chooses_explicit_then_docker_then_local_cluster(string? env, bool docker, bool local, PostgresSourceKind expected) =>
        PostgresSource.Choose(env, docker, local).ShouldBe(expected);

    [Fact]
    public async Task The_chosen_server_answers_and_matches_this_machine()
    {
        var admin = await PostgresServer.AdminConnectionString;
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("show server_version", connection);
        ((string)(await command.ExecuteScalarAsync())!).ShouldNotBeNullOrWhiteSpace();

        var expected = PostgresSource.Choose(
            Environment.GetEnvironmentVariable(PostgresSource.EnvironmentVariable),
            string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresSource.EnvironmentVariable)) && await PostgresServer.DockerAnswersAsync(),
            PostgresServer.LocalBinariesExist());
        PostgresServer.ChosenSource.ShouldBe(expected);
    }

    [Fact]
    public async Task Each_database_is_separate()
    {
        var a = await PostgresServer.CreateDatabaseAsync("gd_iso");
        var b = await PostgresServer.CreateDatabaseAsync("gd_iso");
        try
        {
            a.ShouldNotBe(b);
            await using var ca = new Npgsql.NpgsqlConnection(a);
            await ca.OpenAsync();
            await using (var create = new Npgsql.NpgsqlCommand("create table only_in_a(x int)", ca))
            {
                await create.ExecuteNonQueryAsync();
            }
            await using var cb = new Npgsql.NpgsqlConnection(b);
            await cb.OpenAsync();
            await using var probe = new Npgsql.NpgsqlCommand("select to_regclass('only_in_a') is null", cb);
            ((bool)(await probe.ExecuteScalarAsync())!).ShouldBeTrue();
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(a);
            await PostgresServer.DropDatabaseAsync(b);
        }
    }
}
