namespace Reframe.Core.Blobs;

/// <summary>
/// The blob store could not be reached or refused to work (network, credentials, a 5xx after the client's own
/// retries), as opposed to a missing blob or a bad key. Callers treat it as transient: a worker hands its task back
/// instead of failing it, and the API answers 503.
/// </summary>
public sealed class BlobStoreUnavailableException : Exception
{
    public BlobStoreUnavailableException()
    {
    }

    public BlobStoreUnavailableException(string message) : base(message)
    {
    }

    public BlobStoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
