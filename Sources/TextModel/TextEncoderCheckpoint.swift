// Saving and loading a text encoder: safetensors weights (nanoGPT names) with the configuration as JSON.
import Foundation
import Tensor

extension TextEncoder {
    /// Metadata key under which the configuration JSON is stored in the safetensors file.
    public static let configurationMetadataKey = "text_encoder_configuration"

    /// The weights as named tensors, each name prefixed by `prefix` (e.g. "text." inside a joint checkpoint).
    public func weightTensors(prefix: String = "") -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: zip(parameters.specifications, parameters.tensors()).map { (prefix + $0.name, $1) })
    }

    /// The configuration as compact JSON text.
    public func configurationJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// Writes the weights (float32) and the configuration JSON (in `__metadata__`) to `url`, atomically.
    public func save(to url: URL) throws {
        try SafeTensors.write(weightTensors(), metadata: [Self.configurationMetadataKey: configurationJSON()], to: url)
    }

    /// Reads an encoder written by `save(to:)`: configuration from the metadata, then every weight, strictly.
    public static func load(from url: URL) throws -> TextEncoder {
        let metadata = try SafeTensors.readMetadata(contentsOf: url)
        guard let json = metadata[configurationMetadataKey] else {
            throw TextModelError.checkpoint("\(url.path): no '\(configurationMetadataKey)' in the safetensors metadata")
        }
        let configuration: TextEncoderConfiguration
        do {
            configuration = try JSONDecoder().decode(TextEncoderConfiguration.self, from: Data(json.utf8))
        } catch {
            throw TextModelError.checkpoint("\(url.path): configuration JSON is invalid: \(error)")
        }
        return try TextEncoder.loading(configuration: configuration, tensors: SafeTensors.read(contentsOf: url), file: url.path)
    }

    /// Overwrites every weight from `tensors` (names prefixed by `prefix`); throws on a missing parameter,
    /// a shape mismatch, or (when `allowExtra` is false) a tensor under `prefix` that the encoder does not have.
    public func loadWeights(_ tensors: [String: Tensor], prefix: String = "", allowExtra: Bool = false, file: String) throws {
        for specification in parameters.specifications {
            guard let tensor = tensors[prefix + specification.name] else {
                throw TextModelError.missingParameter(name: prefix + specification.name, file: file)
            }
            guard tensor.shape == specification.shape else {
                throw TextModelError.shapeMismatch(name: prefix + specification.name, expected: specification.shape,
                                                   actual: tensor.shape, file: file)
            }
        }
        if !allowExtra {
            for name in tensors.keys.sorted() where name.hasPrefix(prefix) {
                guard parameters.specification(String(name.dropFirst(prefix.count))) != nil else {
                    throw TextModelError.unexpectedParameter(name: name, file: file)
                }
            }
        }
        for specification in parameters.specifications {
            if let tensor = tensors[prefix + specification.name] { parameters.setValues(specification.name, tensor.scalars) }
        }
    }
}
