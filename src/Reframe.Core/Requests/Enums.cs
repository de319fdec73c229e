namespace Reframe.Core.Requests;

/// <summary>Size tier; the wire names are <c>480p</c>, <c>580p</c>, <c>720p</c> and <c>auto</c>.</summary>
public enum Resolution { P480, P580, P720, Auto }

/// <summary>Canvas shape; wire names <c>auto</c>, <c>16:9</c>, <c>1:1</c>, <c>9:16</c>.</summary>
public enum AspectRatio { Auto, Landscape16x9, Square1x1, Portrait9x16 }

/// <summary>Flow sampler; wire names <c>unipc</c>, <c>dpm++</c>, <c>euler</c>.</summary>
public enum Sampler { UniPC, DpmPlusPlus, Euler }

public enum Acceleration { None, Low, Regular }

public enum VideoQuality { Low, Medium, High, Maximum }

public enum VideoWriteMode { Fast, Balanced, Small }

public enum InterpolatorModel { Rife, Film }
