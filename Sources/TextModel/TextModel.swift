// TextModel — the animepop text encoder: token ids → t ∈ R^C, trained by masked-LM, then fine-tuned.
//
// Pipeline (one file per layer family, each with `forward` and `backward` side by side):
//   Embedding (token + learned position)                 Embedding.swift
//   L × pre-LN block:  x + Attention(LayerNorm(x))       LayerNorm.swift, Linear.swift, Attention.swift, Residual.swift
//                      x + MLP(LayerNorm(x))             Linear.swift, GELU.swift (tanh approximation)
//   LayerNorm (ln_f) → MeanPooling over non-pad tokens   MeanPooling.swift
//   Masked-LM head tied to wte, only at masked rows      MaskedLMHead.swift, MaskedLanguageModeling.swift (BERT recipe)
//
// Conventions: row-major raw Float buffers; legend B batch, T tokens, C channels, NH heads, V vocabulary,
// M masked positions. Linear weights are (out, in) as PyTorch's nn.Linear; parameter names follow
// nanoGPT/GPT-2 (`wte.weight`, `h.0.attn.c_attn.weight`, …) so checkpoints read like theirs. Every matrix
// product goes through the BLAS seam (`gemm` in Tensor/BLAS.swift); row loops are split over the cores.
// Forward caches what backward needs in a preallocated arena sized for (B, T); backward calls the layers
// in exact reverse order and accumulates (+=) into gradients — the caller zeroes them first.
//
// Usage:
//     let encoder = try TextEncoder(configuration: TextEncoderConfiguration(padTokenId: pad, maskTokenId: mask))
//     let trainer = MaskedLMTrainer(encoder: encoder, seed: 1)
//     let loss = try trainer.step(sequences: batchOfTokenIds)      // masked-LM pre-training
//     let vector = try encoder.encode(tokenIds)                    // t ∈ R^C for the joint head
