/// Turns decoded images into the backbone's input tensor: fit to a square, normalize, lay out NHWC.
///
/// **Default fit for posters: `.centerCrop`, torchvision's `standard` evaluation transform** — resize the shorter
/// side to side·256/224 (256 for 224), then crop the central side × side. Posters are portrait (~2:3), so this
/// keeps 87.5 % of the width and ~58 % of the height: the title lettering at the top and credits/feet at the
/// bottom are cut, the characters in the middle stay. We choose it over `.letterbox` because both backbones
/// (ResNet-50, EfficientNet-Lite0) were trained and evaluated on exactly such crops, so objects appear at the
/// scale and framing their features were learned on; letterboxing keeps the whole poster but spends about a
/// third of the 224 × 224 input on flat padding (a 2:3 poster fills 149 × 224) and shrinks every character by
/// a further ~1.7×, which moves the input away from the training distribution. `.letterbox` stays available
/// for callers who need the whole poster (padding is the normalization's zero, i.e. the mean colour).
///
/// Layout: `input` returns H × W × C = side × side × 3 floats, row-major (NHWC with N = 1); `batch` stacks N of
/// them: N × side × side × 3.
public enum Preprocessor {
    /// The fit used when none is given: centre crop (see the type's documentation for why).
    public static let defaultFit: Fit = .centerCrop

    /// One image as side × side × 3 floats (HWC), fitted and normalized (a side below 1 counts as 1).
    public static func input(_ image: RGBImage, side requestedSide: Int = 224, fit: Fit = defaultFit, normalization: PixelNormalization) -> [Float] {
        let side = max(1, requestedSide)
        var output = [Float](repeating: 0, count: side * side * 3)
        output.withUnsafeMutableBufferPointer { buffer in
            write(image, side: side, fit: fit, normalization: normalization, into: buffer)
        }
        return output
    }

    /// N images as N × side × side × 3 floats (NHWC), in order (a side below 1 counts as 1).
    public static func batch(_ images: [RGBImage], side requestedSide: Int = 224, fit: Fit = defaultFit, normalization: PixelNormalization) -> [Float] {
        let side = max(1, requestedSide)
        let imageSize = side * side * 3
        var output = [Float](repeating: 0, count: images.count * imageSize)
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for (index, image) in images.enumerated() {
                let slice = UnsafeMutableBufferPointer(start: base + index * imageSize, count: imageSize)
                write(image, side: side, fit: fit, normalization: normalization, into: slice)
            }
        }
        return output
    }

    /// The image's own pixels, normalized, as H × W × 3 floats — no resize or crop (`embed-image --preprocess none`,
    /// for images that already have the network's input size).
    public static func exact(_ image: RGBImage, normalization: PixelNormalization) -> [Float] {
        let table = normalization.table
        return image.pixels.enumerated().map { index, value in table[(index % 3) * 256 + Int(value)] }
    }

    /// The `minimumSide` to pass to `JPEGDecoder.decode` so DCT scaling never decodes smaller than this fit needs.
    public static func decodingMinimumSide(side: Int = 224, fit: Fit = defaultFit) -> Int {
        switch fit {
        case .centerCrop: return resizeSide(forCrop: side)
        case .letterbox: return side
        }
    }

    /// The shorter-side length before a centre crop of `side`: side · 256 / 224, rounded (256 for 224).
    public static func resizeSide(forCrop side: Int) -> Int {
        max(side, Int((Double(side) * 256.0 / 224.0).rounded()))
    }

    /// The fitted side × side image before normalization (also what the tests compare with PIL/torchvision),
    /// with the region that holds picture (the rest is padding, for `.letterbox`).
    public static func fitted(_ image: RGBImage, side requestedSide: Int, fit: Fit) -> (image: RGBImage, x: Int, y: Int) {
        let side = max(1, requestedSide)
        let width = max(1, image.width), height = max(1, image.height)
        switch fit {
        case .centerCrop:
            // torchvision Resize(shorter → s): the longer side is int(s · long / short), truncated.
            let shorter = resizeSide(forCrop: side)
            let (newWidth, newHeight) = width <= height
                ? (shorter, max(shorter, Int(Double(shorter) * Double(height) / Double(width))))
                : (max(shorter, Int(Double(shorter) * Double(width) / Double(height))), shorter)
            // torchvision CenterCrop: offsets int(round((size − crop) / 2)), Python's round-half-even.
            let left = Int((Double(newWidth - side) / 2).rounded(.toNearestOrEven))
            let top = Int((Double(newHeight - side) / 2).rounded(.toNearestOrEven))
            // Only the crop window is resampled: the same pixels as resize-then-crop, for about half the work.
            return (image.resized(width: newWidth, height: newHeight, window: (left, top, side, side)), 0, 0)
        case .letterbox:
            let (newWidth, newHeight) = width >= height
                ? (side, max(1, Int((Double(side) * Double(height) / Double(width)).rounded())))
                : (max(1, Int((Double(side) * Double(width) / Double(height)).rounded())), side)
            let resized = image.resized(width: newWidth, height: newHeight)
            return (resized, (side - newWidth) / 2, (side - newHeight) / 2)
        }
    }

    /// Fits, normalizes and writes one image into `output` (side·side·3 floats, already zero: padding stays 0).
    private static func write(_ image: RGBImage, side: Int, fit: Fit, normalization: PixelNormalization,
                              into output: UnsafeMutableBufferPointer<Float>) {
        let (fittedImage, left, top) = fitted(image, side: side, fit: fit)
        let table = normalization.table
        guard let destination = output.baseAddress else { return }
        fittedImage.pixels.withUnsafeBufferPointer { pixels in
            table.withUnsafeBufferPointer { table in
                guard var from = pixels.baseAddress, let table = table.baseAddress else { return }
                for y in 0..<fittedImage.height {
                    var to = destination + ((top + y) * side + left) * 3
                    for _ in 0..<fittedImage.width {
                        to[0] = table[Int(from[0])]
                        to[1] = table[256 + Int(from[1])]
                        to[2] = table[512 + Int(from[2])]
                        to += 3
                        from += 3
                    }
                }
            }
        }
    }
}

/// How an image of any aspect ratio becomes a square input.
public enum Fit: String, Sendable, CaseIterable {
    /// Resize the shorter side to side·256/224, crop the centre square (torchvision's standard; the default).
    case centerCrop
    /// Resize the longer side to `side`, centre it, pad the rest with the normalization's zero (the mean colour).
    case letterbox
}

/// Per-backbone mapping from 8-bit pixels to network input.
public enum PixelNormalization: Sendable {
    /// ImageNet statistics, as torchvision: (x/255 − mean) / std, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
    case imageNet
    /// TensorFlow Lite models (EfficientNet-Lite): (x − 127) / 128.
    case tensorFlowLite
    /// The pixel values as they are, 0…255.
    case none

    /// The normalized value of every byte, channel after channel: entry 256·c + x is channel c's value for x.
    var table: [Float] {
        let (scale, offset) = affine
        return (0..<3).flatMap { channel in (0..<256).map { Float($0) * scale[channel] + offset[channel] } }
    }

    /// Per-channel (scale, offset) with value = x · scale + offset.
    var affine: (scale: [Float], offset: [Float]) {
        switch self {
        case .imageNet:
            let mean: [Float] = [0.485, 0.456, 0.406], deviation: [Float] = [0.229, 0.224, 0.225]
            return ((0..<3).map { 1 / (255 * deviation[$0]) }, (0..<3).map { -mean[$0] / deviation[$0] })
        case .tensorFlowLite:
            return ([1 / 128, 1 / 128, 1 / 128], [-127 / 128, -127 / 128, -127 / 128])
        case .none:
            return ([1, 1, 1], [0, 0, 0])
        }
    }
}
