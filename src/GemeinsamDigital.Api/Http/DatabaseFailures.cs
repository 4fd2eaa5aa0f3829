using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// While PostgreSQL does not answer, requests fail fast with 503 and Retry-After instead of hanging
/// or answering 500; the connection pool reconnects by itself once PostgreSQL is back.
/// </summary>
public static class DatabaseFailures
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Connect timeout (seconds) unless the connection string sets one.</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>Command timeout (seconds) unless the connection string sets one.</summary>
    public const int CommandTimeoutSeconds = 10;

    /// <summary>Short timeouts, so an unreachable database is noticed in seconds; explicit settings win.</summary>
    public static string WithTimeouts(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            builder.CommandTimeout = CommandTimeoutSeconds;
        }
        return builder.ConnectionString;
    }

    /// <summary>Is this the database being unreachable or overloaded (worth a retry), rather than a bug?</summary>
    public static bool IsUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                // Connection exceptions (08) and shutdowns (57P0x) are what a stopping server sends.
                case PostgresException postgres when postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal):
                case NpgsqlException npgsql when npgsql is not PostgresException && npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }
}

/// <summary>Maps database outages to 503 problem responses with Retry-After.</summary>
public sealed class DatabaseUnavailableHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }
        // Logged with the problem, at Error with its trace id (FrameworkProblems).
        http.Items[FrameworkProblems.CauseItem] = "PostgreSQL unavailable: " + exception.GetBaseException().Message;
        http.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.DatabaseUnavailable(DatabaseFailures.RetryAfterSeconds).ExecuteAsync(http);
        return true;
    }
}
