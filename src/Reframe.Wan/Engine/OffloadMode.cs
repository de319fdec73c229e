namespace Reframe.Wan.Engine;

/// <summary>Where the model's weights live between and during tasks (<c>REFRAME_WAN_OFFLOAD</c>).</summary>
public enum OffloadMode
{
    /// <summary>Everything on the execution device for the process's lifetime: no transfers per task.</summary>
    None,

    /// <summary>
    /// One expert on the device at a time, the other in host memory; they swap at the boundary step (once per
    /// window). UMT5 waits in host memory and visits the device to encode the prompts. The VAE stays on the device.
    /// </summary>
    Model,

    /// <summary>
    /// Experts in host memory; each transformer block is moved to the device just before it runs and back after.
    /// The smallest device footprint, the slowest (every step moves a whole expert over the bus).
    /// </summary>
    Sequential,
}
