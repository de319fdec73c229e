namespace Reframe.Core.Configuration;

/// <summary>
/// A setting (an environment variable such as <c>REFRAME_WORKERS</c>, or the same key in any configuration source) has
/// a value the service cannot use. Thrown while the settings are read at start-up; the host prints the message, which
/// names the setting, its value and what it accepts, and exits with status 1 rather than run with something else.
/// </summary>
public sealed class SettingException(string message, Exception? inner = null) : Exception(message, inner);
