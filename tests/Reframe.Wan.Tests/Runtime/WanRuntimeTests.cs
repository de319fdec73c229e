using Reframe.Wan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Runtime;

public class WanRuntimeTests
{
    [Fact]
    public void Resolve_PicksCpuAndFloat32_WhenCudaIsAbsent()
    {
        var runtime = WanRuntime.Resolve(new WanRuntimeOptions(), cudaAvailable: () => false);
        Assert.Equal(DeviceType.CPU, runtime.Device.type);
        Assert.Equal(ScalarType.Float32, runtime.DType);
        Assert.False(runtime.AllowTf32);
    }

    [Fact]
    public void Resolve_PicksCudaAndBFloat16_WhenCudaIsPresent()
    {
        var runtime = WanRuntime.Resolve(new WanRuntimeOptions(), cudaAvailable: () => true);
        Assert.Equal(DeviceType.CUDA, runtime.Device.type);
        Assert.Equal(ScalarType.BFloat16, runtime.DType);
    }

    [Fact]
    public void Resolve_HonoursExplicitChoices()
    {
        var runtime = WanRuntime.Resolve(new WanRuntimeOptions { Device = "cuda:1", DType = "float32" }, () => true);
        Assert.Equal(1, runtime.Device.index);
        Assert.Equal(ScalarType.Float32, runtime.DType);
        var bf16 = WanRuntime.Resolve(new WanRuntimeOptions { Device = "cpu", DType = "bf16" }, () => true);
        Assert.Equal(ScalarType.BFloat16, bf16.DType);
    }

    [Fact]
    public void Resolve_Throws_WhenCudaIsRequestedButAbsent()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => WanRuntime.Resolve(new WanRuntimeOptions { Device = "cuda" }, () => false));
        Assert.Contains("CUDA", error.Message);
    }

    [Theory]
    [InlineData("tpu", "auto")]
    [InlineData("cpu", "int8")]
    public void Resolve_Throws_OnUnknownNames(string device, string dtype) =>
        Assert.Throws<ArgumentException>(() => WanRuntime.Resolve(new WanRuntimeOptions { Device = device, DType = dtype }, () => false));

    [Fact]
    public void CudaAvailable_IsFalse_OnThisCpuOnlyBuild_OrTrueWithAGpu()
    {
        // The NuGet libtorch here is CPU-only: the check must answer (not throw) and agree with libtorch.
        Assert.Equal(cuda.is_available(), WanRuntime.CudaAvailable());
    }

    [Fact]
    public void Apply_SwitchesTf32Off()
    {
        WanRuntime.CpuFloat32.Apply();
        Assert.False(backends.cuda.matmul.allow_tf32);
        Assert.False(backends.cudnn.allow_tf32);
    }
}
