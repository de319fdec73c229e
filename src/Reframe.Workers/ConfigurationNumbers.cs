using Reframe.Core.Configuration;
using System.Globalization;

namespace Reframe.Workers;

/// <summary>Reads an integer setting with bounds; a malformed value stops start-up with a message naming it.</summary>
public static class ConfigurationNumbers
{
    public static int Read(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SettingException($"{key}='{raw}' is not an integer in {min}..{max}.");
        }
        return value;
    }
}
