namespace Reframe.Server;

/// <summary>
/// The service cannot start as configured (a wrong setting, an incomplete model folder). The process prints the
/// message, which names what to fix, and exits with status 1 instead of serving with something else.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
