// `import KoHybrid` is all a user needs: the record types (Record, Metadata, MetadataValue,
// JSONValue) and the engine types that appear in the store's API (DistanceMetric,
// HNSWParameters, BM25Parameters, AnalyzerPreset, Fusion) come with it.
@_exported import KoHybridAnalysis
@_exported import KoHybridDense
@_exported import KoHybridFusion
@_exported import KoHybridModel
@_exported import KoHybridSparse
