namespace Reframe.Core.Inputs;

/// <summary>
/// Fetches a user-supplied input (http(s) URL or <c>data:</c> URI) to a local file, enforcing the configured
/// size and time limits and refusing private addresses. Failures are thrown as
/// <see cref="Engines.ReframeFailure"/> with a named error (<c>file_download_error</c>, <c>invalid_input</c>).
/// </summary>
public interface IInputFetcher
{
    Task<FetchedInput> FetchAsync(string urlOrDataUri, string destinationPath, CancellationToken cancellationToken);
}

/// <summary>A fetched input on disk.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="ContentType">The declared media type (HTTP header or data URI), if any; never trusted for parsing.</param>
public sealed record FetchedInput(string Path, long Bytes, string? ContentType);
