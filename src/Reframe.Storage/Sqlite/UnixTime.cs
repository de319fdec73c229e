namespace Reframe.Storage.Sqlite;

internal static class UnixTime
{
    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static DateTimeOffset? From(object value) =>
        value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
