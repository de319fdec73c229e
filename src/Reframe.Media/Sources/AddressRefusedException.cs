namespace Reframe.Media.Sources;

/// <summary>
/// Thrown from the guarded connect step when the policy refuses an endpoint. <see cref="HttpClient"/> wraps it in
/// an <see cref="HttpRequestException"/>; callers find it with <see cref="FindIn"/>.
/// </summary>
public sealed class AddressRefusedException : IOException
{
    public AddressRefusedException(string host, string address, string reason)
        : base($"{host} resolves to {address}, {reason}; only public addresses are fetched.")
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    public string Host { get; }
    public string Address { get; }
    public string Reason { get; }

    /// <summary>The refusal somewhere in an exception's chain, or null.</summary>
    public static AddressRefusedException? FindIn(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AddressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}
