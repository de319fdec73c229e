namespace Reframe.Core.Prompts;

/// <summary>
/// Rewrites a user's prompt into a fuller description for the generator (<c>enable_prompt_expansion</c>). A failure
/// is a <see cref="PromptExpansionException"/>; the worker then keeps the original prompt and says why in <c>meta</c>,
/// so no task fails because of it.
/// </summary>
public interface IPromptExpander
{
    /// <param name="prompt">The prompt as the user sent it (never empty).</param>
    /// <param name="seed">The task's seed, passed on where the service supports it so a retried task asks the same way.</param>
    Task<string> ExpandAsync(string prompt, long seed, CancellationToken cancellationToken);
}
