using System.Security.Cryptography;
using System.Text;

namespace Reframe.Workers.Webhooks;

/// <summary>
/// The HMAC key: REFRAME_WEBHOOK_SECRET when set; otherwise a random one created at first start and kept in
/// <c>webhook-secret</c> in the data directory (owner-only), so signatures stay verifiable across restarts
/// and an operator can read the file to configure receivers.
/// </summary>
public static class WebhookSecret
{
    public const string FileName = "webhook-secret";

    public static byte[] Load(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured.Length < 16)
            {
                throw new InvalidOperationException("REFRAME_WEBHOOK_SECRET must be at least 16 characters.");
            }
            return Encoding.UTF8.GetBytes(configured);
        }
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(dataDirectory);
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, secret + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: false);
        return Encoding.UTF8.GetBytes(secret);
    }
}
