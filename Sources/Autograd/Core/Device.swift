/// Where a tensor's memory lives.
///
/// Only the CPU has a backend today. The type is shaped so that a CUDA backend can be added
/// without changing user code: `tensor.to(.cuda)` and `Device.cuda.isAvailable` already exist
/// and report clearly that no GPU backend is built in.
public struct Device: Hashable, Sendable, CustomStringConvertible {
  /// The kind of device.
  public enum Kind: String, Sendable, Hashable {
    /// Host memory, computed with Swift kernels and OpenBLAS.
    case cpu
    /// An NVIDIA GPU (no backend yet).
    case cuda
  }

  /// The kind of device.
  public let kind: Kind
  /// The ordinal of the device among those of its kind.
  public let index: Int

  /// The host CPU.
  public static let cpu = Device(kind: .cpu, index: 0)
  /// The first CUDA device.
  public static let cuda = Device(kind: .cuda, index: 0)

  /// The CUDA device with the given ordinal.
  public static func cuda(_ index: Int) -> Device { Device(kind: .cuda, index: index) }

  /// Whether tensors can be placed on this device in this build.
  ///
  /// Always `true` for the CPU. `false` for CUDA: this build has no GPU backend.
  public var isAvailable: Bool { kind == .cpu }

  /// Why the device cannot be used, or `nil` when it can.
  public var unavailableReason: String? {
    isAvailable ? nil : "this build of Autograd has no CUDA backend (CPU only)"
  }

  /// The OpenBLAS kernel set that computes this device's matrix products (`SkylakeX`,
  /// `Haswell`, …), or `nil` for a device without a backend.
  public var blasKernels: String? { kind == .cpu ? BLAS.kernels : nil }

  /// `cpu` or `cuda:N`, as PyTorch prints devices.
  public var description: String { kind == .cpu ? "cpu" : "cuda:\(index)" }
}
