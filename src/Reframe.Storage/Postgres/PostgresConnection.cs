using Reframe.Core.Configuration;
using Npgsql;

namespace Reframe.Storage.Postgres;

/// <summary>
/// Turns REFRAME_DATABASE_URL into an Npgsql data source. Accepts a URL (<c>postgres://user:pass@host:5432/db</c>,
/// <c>postgresql:///db?host=/run/postgresql</c> for a Unix socket, other query parameters passed on as connection
/// settings) or an Npgsql connection string as is.
/// </summary>
public static class PostgresConnection
{
    public static NpgsqlDataSource CreateDataSource(string databaseUrl, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(databaseUrl));
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = applicationName;
        }
        // Hot statements (lease, renew, poll) are prepared on each pooled connection after a few uses.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public static string ToConnectionString(string databaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        if (!databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return databaseUrl;
        }
        // Uri does not parse "postgresql:///db" (empty host) into a path; give it a placeholder host to split on.
        var schemeEnd = databaseUrl.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = databaseUrl[schemeEnd..];
        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var at = authority.LastIndexOf('@');
        var placeholder = authority.Length == at + 1; // no host: a socket given by ?host=, or the default
        if (placeholder)
        {
            rest = authority + "localhost" + rest[authority.Length..];
        }
        if (!Uri.TryCreate("tcp://" + rest, UriKind.Absolute, out var uri))
        {
            throw new SettingException("REFRAME_DATABASE_URL is not a valid postgres:// URL.");
        }
        var builder = new NpgsqlConnectionStringBuilder();
        if (!placeholder)
        {
            builder.Host = Uri.UnescapeDataString(uri.Host.Trim('[', ']'));
        }
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw new SettingException($"REFRAME_DATABASE_URL: the parameter '{key}' is not a PostgreSQL connection setting.", e);
            }
        }
        return builder.ConnectionString;
    }
}
