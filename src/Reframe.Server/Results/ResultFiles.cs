using Reframe.Core.Blobs;

namespace Reframe.Server.Results;

/// <summary>
/// The public name of a result: <c>/files/&lt;token&gt;.mp4</c> on any API node, for the blob <c>results/&lt;token&gt;.mp4</c>
/// (see <see cref="BlobKeys"/>: the 256-bit token is the capability, and a name is checked strictly before it
/// becomes a key).
/// </summary>
public static class ResultFiles
{
    public static string RelativeUrl(string token) => "/files/" + token + ".mp4";

    /// <summary>The blob key for a URL segment like <c>&lt;token&gt;.mp4</c>, or null when the name is not one of ours.</summary>
    public static string? TryResolve(string fileName) => BlobKeys.TokenOf(fileName) is { } token && !fileName.Contains('/', StringComparison.Ordinal)
        ? BlobKeys.Result(token)
        : null;
}
