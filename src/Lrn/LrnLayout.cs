namespace Lrn;

/// <summary>Where the channel axis sits in a tensor's dimensions. Memory is always contiguous, row-major (C order).</summary>
public enum LrnLayout
{
    /// <summary>(N, C, D1, ..., Dk): ONNX, PyTorch, Caffe, cuDNN. Each channel's spatial plane is contiguous.</summary>
    ChannelsFirst,

    /// <summary>(N, D1, ..., Dk, C): TensorFlow's NHWC. Each position's channels are contiguous.</summary>
    ChannelsLast,
}
