namespace Reframe.Core.Safety;

/// <summary>
/// What <c>enable_safety_checker: true</c> does on a server with no checker (REFRAME_SAFETY_CHECKER_UNAVAILABLE): the
/// operator's choice between refusing such requests and running them unchecked while saying so in <c>meta</c>.
/// </summary>
public enum UnavailableSafetyPolicy
{
    /// <summary>Run the task unchecked; <c>meta.safety_checker</c> is <c>unavailable</c> (the default).</summary>
    Allow,

    /// <summary>Answer the POST with a 400 naming <c>enable_safety_checker</c>.</summary>
    Reject,
}
