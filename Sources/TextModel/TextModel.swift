// TextModel — the animepop text encoder: token ids → t ∈ R^C, pre-trained by masked-LM, then fine-tuned.
//
// Pipeline (one file per layer family, each with `forward` and `backward` side by side, shapes in the doc):
//   Embedding (token + learned position)                 Embedding.swift
//   L × pre-LN block:  x + Attention(LayerNorm(x))       LayerNorm.swift, Linear.swift, Attention.swift, Residual.swift
//                      x + MLP(LayerNorm(x))             Linear.swift, GELU.swift (tanh approximation)
//   LayerNorm (ln_f) → MeanPooling over non-pad tokens   MeanPooling.swift
//   Masked-LM head tied to wte, only at masked rows      MaskedLMHead.swift; BERT masking in MaskedLanguageModeling.swift
// The model (TextEncoder.swift) owns parameters and gradients (ParameterBuffer.swift, names in
// TextEncoderParameters.swift) and an activation arena sized for (B, T) (Activations.swift);
// MaskedLMTrainer.swift trains it; TextEncoderCheckpoint.swift saves and loads it (safetensors + JSON config).
//
// Conventions: row-major raw Float buffers; legend B batch, T tokens, C channels, NH heads, hs = C/NH,
// V vocabulary, M masked positions. Linear weights are (out, in) as PyTorch's nn.Linear; parameter names
// follow nanoGPT/GPT-2 (`wte.weight`, `wpe.weight`, `h.0.ln_1.weight`, `h.0.attn.c_attn.weight`, …, `ln_f.bias`).
// Forward caches what backward needs; backward calls the layers in exact reverse order and accumulates (+=)
// into `gradients`, which the caller zeroes first. Sequences are right-padded with <pad>: padded keys get no
// attention, padded positions are left out of pooling and are never masked-LM targets.
//
// Threads: every matrix product goes through the BLAS seam (`gemm`, Tensor/BLAS.swift). By default
// (`Threading.splitRows`) OpenBLAS is set to one thread while the encoder runs and each big product's rows are
// split over the cores by `Parallel.rowSplitGemm`; attention runs (batch, head) pairs in parallel; layer norm,
// GELU and softmax rows are split too. This avoids OpenBLAS's spin-waiting threads competing with ours on
// 2 cores. The thread count is process-wide, so use one encoder per process at a time for training.
//
// Usage:
//     let encoder = try TextEncoder(configuration: TextEncoderConfiguration())   // ids from the shipped vocab/
//     let trainer = MaskedLMTrainer(encoder: encoder, peakLearningRate: 1e-3, warmupSteps: 200, totalSteps: 3000, seed: 1)
//     let loss = try trainer.step(sequences: batchOfTokenIds)      // masked-LM pre-training, one step
//     try encoder.save(to: url)                                    // safetensors, configuration in the metadata
//     let vector = try encoder.encode(tokenIds)                    // t ∈ R^C for the joint head
//     try encoder.backward(pooledGradient: dLossDt)                // fine-tuning through the head (after forward)
