using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Lrn.TorchSharp;

/// <summary>
/// The custom autograd function: forward(x, call) writes y = LRN(x) into a new tensor with Lrn's forward kernel;
/// backward(dy) writes dx with Lrn's backward kernel, reusing the saved x and y (as Caffe does), so the scales are
/// not summed again from scratch. x must already satisfy <see cref="LrnTorch.WhyNotOnLrn"/>. TorchSharp keeps one
/// instance per function type, so everything per call travels in the arguments and the context.
/// </summary>
internal sealed class LrnFunction : SingleTensorFunction<LrnFunction>
{
    private const string CallKey = "lrn";

    public override string Name => "LrnBackward";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var call = (LrnCall)vars[1];
        Tensor y = empty(x.shape, x.dtype, x.device);
        LrnTorch.Forward(x, y, call);
        ctx.save_for_backward([x, y]);
        ctx.save_data(CallKey, call);
        return y;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var call = (LrnCall)ctx.get_data(CallKey);
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor x = saved[0], y = saved[1];
        // dy arrives in whatever form autograd built (an expanded scalar from sum(), another dtype): Lrn needs x's.
        Tensor dy = grad_output.dtype == x.dtype && grad_output.device_type == DeviceType.CPU && grad_output.is_contiguous()
            ? grad_output
            : grad_output.to(x.dtype, CPU).contiguous();
        Tensor dx = empty(x.shape, x.dtype, x.device);
        LrnTorch.Backward(x, y, dy, dx, call);
        return [dx, null!];
    }
}
