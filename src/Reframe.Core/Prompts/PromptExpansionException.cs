namespace Reframe.Core.Prompts;

/// <summary>The expansion did not produce a usable prompt; the message says why in words fit for <c>meta</c>.</summary>
public sealed class PromptExpansionException(string message, Exception? inner = null) : Exception(message, inner);
