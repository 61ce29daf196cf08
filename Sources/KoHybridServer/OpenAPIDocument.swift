/// The OpenAPI 3.1 description of everything `kohybrid serve` answers, served at
/// `GET /openapi.json` (and printed by `kohybrid serve --print-openapi`). `OpenAPIDocumentTests`
/// checks that every route the router has is described here and every path here is routed.
public enum OpenAPIDocument {
    public static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "kohybrid serve",
  "version": "0.3.0",
  "description": "KoHybrid's HTTP API: the subset of Chroma's API v2 that chromadb 1.5.9's HttpClient uses (tag chroma), and KoHybrid's hybrid search API (tag kohybrid). Errors are {\"error\", \"message\"} with a 4xx status; the error names are chromadb's, so its client raises the same exceptions."
 },
 "servers": [
  {
   "url": "http://127.0.0.1:8000"
  }
 ],
 "components": {
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error",
     "message"
    ],
    "properties": {
     "error": {
      "type": "string",
      "description": "a chromadb error_types name: NotFoundError, InvalidArgumentError, ChromaError, AuthorizationError, BatchSizeExceededError, InternalError"
     },
     "message": {
      "type": "string"
     }
    }
   },
   "Metadata": {
    "type": "object",
    "additionalProperties": {
     "anyOf": [
      {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "integer"
        },
        {
         "type": "number"
        },
        {
         "type": "boolean"
        }
       ]
      },
      {
       "type": "array",
       "items": {
        "anyOf": [
         {
          "type": "string"
         },
         {
          "type": "integer"
         },
         {
          "type": "number"
         },
         {
          "type": "boolean"
         }
        ]
       },
       "minItems": 1
      }
     ]
    }
   },
   "MetadataUpdate": {
    "type": "object",
    "additionalProperties": {
     "anyOf": [
      {
       "anyOf": [
        {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "integer"
          },
          {
           "type": "number"
          },
          {
           "type": "boolean"
          }
         ]
        },
        {
         "type": "array",
         "items": {
          "anyOf": [
           {
            "type": "string"
           },
           {
            "type": "integer"
           },
           {
            "type": "number"
           },
           {
            "type": "boolean"
           }
          ]
         },
         "minItems": 1
        }
       ]
      },
      {
       "type": "null"
      }
     ]
    },
    "description": "null deletes a key (update / upsert)"
   },
   "Where": {
    "type": "object",
    "description": "Chroma's where grammar: {field: value}, {field: {$eq|$ne|$gt|$gte|$lt|$lte|$in|$nin|$contains|$not_contains: operand}}, {$and|$or: [...]}"
   },
   "WhereDocument": {
    "type": "object",
    "description": "{$contains|$not_contains|$regex|$not_regex: text}, {$and|$or: [...]}"
   },
   "Collection": {
    "type": "object",
    "required": [
     "id",
     "name",
     "tenant",
     "database",
     "configuration_json"
    ],
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "name": {
      "type": "string"
     },
     "tenant": {
      "type": "string"
     },
     "database": {
      "type": "string"
     },
     "metadata": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Metadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "dimension": {
      "anyOf": [
       {
        "type": "integer"
       },
       {
        "type": "null"
       }
      ]
     },
     "configuration_json": {
      "type": "object"
     },
     "schema": {
      "type": "null"
     },
     "version": {
      "type": "integer"
     },
     "log_position": {
      "type": "integer"
     }
    }
   },
   "CreateCollection": {
    "type": "object",
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "metadata": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Metadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "configuration": {
      "anyOf": [
       {
        "type": "object",
        "properties": {
         "hnsw": {
          "anyOf": [
           {
            "type": "object",
            "properties": {
             "space": {
              "enum": [
               "cosine",
               "l2",
               "ip"
              ]
             },
             "ef_construction": {
              "type": "integer"
             },
             "ef_search": {
              "type": "integer"
             },
             "max_neighbors": {
              "type": "integer"
             }
            }
           },
           {
            "type": "null"
           }
          ]
         },
         "spann": {
          "anyOf": [
           {
            "type": "object"
           },
           {
            "type": "null"
           }
          ]
         },
         "embedding_function": {
          "anyOf": [
           {
            "type": "object"
           },
           {
            "type": "null"
           }
          ]
         }
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "schema": {
      "anyOf": [
       {
        "type": "object"
       },
       {
        "type": "null"
       }
      ]
     },
     "get_or_create": {
      "type": "boolean"
     }
    }
   },
   "ModifyCollection": {
    "type": "object",
    "properties": {
     "new_name": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "new_metadata": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Metadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "new_configuration": {
      "anyOf": [
       {
        "type": "object"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "Write": {
    "type": "object",
    "required": [
     "ids"
    ],
    "properties": {
     "ids": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "embeddings": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "anyOf": [
          {
           "anyOf": [
            {
             "type": "array",
             "items": {
              "type": "number"
             }
            },
            {
             "type": "string",
             "description": "base64 of little-endian float32 values"
            }
           ]
          },
          {
           "type": "null"
          }
         ]
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "documents": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "metadatas": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "anyOf": [
          {
           "$ref": "#/components/schemas/MetadataUpdate"
          },
          {
           "type": "null"
          }
         ]
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "uris": {
      "anyOf": [
       {
        "type": "array"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "Include": {
    "type": "array",
    "items": {
     "enum": [
      "documents",
      "metadatas",
      "embeddings",
      "distances",
      "uris",
      "data"
     ]
    }
   },
   "Get": {
    "type": "object",
    "properties": {
     "ids": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "where": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Where"
       },
       {
        "type": "null"
       }
      ]
     },
     "where_document": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/WhereDocument"
       },
       {
        "type": "null"
       }
      ]
     },
     "limit": {
      "anyOf": [
       {
        "type": "integer",
        "minimum": 0
       },
       {
        "type": "null"
       }
      ]
     },
     "offset": {
      "anyOf": [
       {
        "type": "integer",
        "minimum": 0
       },
       {
        "type": "null"
       }
      ]
     },
     "include": {
      "$ref": "#/components/schemas/Include"
     }
    }
   },
   "GetResult": {
    "type": "object",
    "required": [
     "ids"
    ],
    "properties": {
     "ids": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "documents": {},
     "metadatas": {},
     "embeddings": {},
     "uris": {},
     "include": {}
    }
   },
   "Query": {
    "type": "object",
    "required": [
     "query_embeddings"
    ],
    "properties": {
     "query_embeddings": {
      "type": "array",
      "items": {
       "type": "array",
       "items": {
        "type": "number"
       }
      }
     },
     "n_results": {
      "type": "integer",
      "minimum": 1
     },
     "ids": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "where": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Where"
       },
       {
        "type": "null"
       }
      ]
     },
     "where_document": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/WhereDocument"
       },
       {
        "type": "null"
       }
      ]
     },
     "include": {
      "$ref": "#/components/schemas/Include"
     }
    }
   },
   "QueryResult": {
    "type": "object",
    "required": [
     "ids"
    ],
    "properties": {
     "ids": {
      "type": "array",
      "items": {
       "type": "array",
       "items": {
        "type": "string"
       }
      }
     },
     "documents": {},
     "metadatas": {},
     "embeddings": {},
     "distances": {},
     "uris": {},
     "include": {}
    }
   },
   "Delete": {
    "type": "object",
    "properties": {
     "ids": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "where": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Where"
       },
       {
        "type": "null"
       }
      ]
     },
     "where_document": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/WhereDocument"
       },
       {
        "type": "null"
       }
      ]
     },
     "limit": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "QueryInput": {
    "type": "object",
    "properties": {
     "text": {
      "type": "string"
     },
     "vector": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "number"
        }
       },
       {
        "type": "string",
        "description": "base64 of little-endian float32 values"
       }
      ]
     }
    },
    "description": "text, vector or both",
    "additionalProperties": false
   },
   "Search": {
    "type": "object",
    "additionalProperties": false,
    "description": "one query (text / vector at the top) or several (queries); unknown fields are refused",
    "properties": {
     "k": {
      "type": "integer",
      "minimum": 1,
      "maximum": 10000,
      "default": 10
     },
     "mode": {
      "enum": [
       "dense",
       "sparse",
       "hybrid"
      ],
      "default": "hybrid"
     },
     "fusion": {
      "type": "string",
      "description": "default (the engine's fixed default: adaptive relative-score fusion, weights set per query), adaptive, rsf-0.3 (the previous default), rrf, rsf, dbsf",
      "default": "default"
     },
     "weights": {
      "type": "object",
      "properties": {
       "dense": {
        "type": "number",
        "minimum": 0
       },
       "sparse": {
        "type": "number",
        "minimum": 0
       }
      },
      "additionalProperties": false
     },
     "rrf_k": {
      "type": "number",
      "minimum": 0,
      "default": 60
     },
     "candidates": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "description": "candidates each retriever contributes before fusion",
      "default": 100
     },
     "ef": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "description": "HNSW efSearch for this query"
     },
     "where": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Where"
       },
       {
        "type": "null"
       }
      ]
     },
     "where_document": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/WhereDocument"
       },
       {
        "type": "null"
       }
      ]
     },
     "include": {
      "type": "array",
      "items": {
       "enum": [
        "documents",
        "metadatas"
       ]
      }
     },
     "text": {
      "type": "string"
     },
     "vector": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "number"
        }
       },
       {
        "type": "string",
        "description": "base64 of little-endian float32 values"
       }
      ]
     },
     "queries": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/QueryInput"
      },
      "minItems": 1,
      "maxItems": 1000
     }
    }
   },
   "RetrieverPart": {
    "type": "object",
    "required": [
     "rank",
     "score"
    ],
    "properties": {
     "rank": {
      "type": "integer",
      "minimum": 1
     },
     "score": {
      "type": "number"
     },
     "distance": {
      "type": "number",
      "description": "dense only: Chroma's distance (cosine 1-cos, l2 squared, ip 1-dot)"
     }
    }
   },
   "Hit": {
    "type": "object",
    "required": [
     "id",
     "score",
     "dense",
     "sparse"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "score": {
      "type": "number",
      "description": "fused score, higher is better"
     },
     "dense": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/RetrieverPart"
       },
       {
        "type": "null"
       }
      ]
     },
     "sparse": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/RetrieverPart"
       },
       {
        "type": "null"
       }
      ]
     },
     "weights": {
      "anyOf": [
       {
        "type": "object",
        "properties": {
         "dense": {
          "type": "number"
         },
         "sparse": {
          "type": "number"
         }
        },
        "description": "the weights this query gave each retriever's list (hybrid only)"
       },
       {
        "type": "null"
       }
      ]
     },
     "document": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "metadata": {
      "$ref": "#/components/schemas/Metadata"
     }
    }
   },
   "SearchResult": {
    "type": "object",
    "required": [
     "results",
     "mode"
    ],
    "properties": {
     "results": {
      "type": "array",
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Hit"
       }
      }
     },
     "mode": {
      "type": "string"
     }
    }
   },
   "GenerationContextRequest": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "category",
     "text"
    ],
    "properties": {
     "k": {
      "type": "integer",
      "minimum": 1,
      "maximum": 10000,
      "default": 10
     },
     "mode": {
      "enum": [
       "dense",
       "sparse",
       "hybrid"
      ],
      "default": "hybrid"
     },
     "fusion": {
      "type": "string",
      "description": "default (the engine's fixed default: adaptive relative-score fusion, weights set per query), adaptive, rsf-0.3 (the previous default), rrf, rsf, dbsf",
      "default": "default"
     },
     "weights": {
      "type": "object",
      "properties": {
       "dense": {
        "type": "number",
        "minimum": 0
       },
       "sparse": {
        "type": "number",
        "minimum": 0
       }
      },
      "additionalProperties": false
     },
     "rrf_k": {
      "type": "number",
      "minimum": 0,
      "default": 60
     },
     "candidates": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "description": "candidates each retriever contributes before fusion",
      "default": 100
     },
     "ef": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "description": "HNSW efSearch for this query"
     },
     "where": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Where"
       },
       {
        "type": "null"
       }
      ]
     },
     "where_document": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/WhereDocument"
       },
       {
        "type": "null"
       }
      ]
     },
     "include": {
      "type": "array",
      "items": {
       "enum": [
        "documents",
        "metadatas"
       ]
      }
     },
     "category": {
      "type": "string"
     },
     "text": {
      "type": "string"
     },
     "vector": {
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "number"
        }
       },
       {
        "type": "string",
        "description": "base64 of little-endian float32 values"
       }
      ]
     },
     "examples": {
      "type": "integer",
      "minimum": 0,
      "maximum": 1000,
      "default": 3
     },
     "sources": {
      "type": "integer",
      "minimum": 0,
      "maximum": 1000,
      "default": 5
     },
     "collections": {
      "type": "object",
      "properties": {
       "examples": {
        "type": "string"
       },
       "sources": {
        "type": "string"
       }
      },
      "description": "default: <category>.examples and <category>.sources"
     }
    }
   },
   "GenerationContext": {
    "type": "object",
    "required": [
     "examples",
     "sources",
     "collections"
    ],
    "properties": {
     "examples": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Hit"
      }
     },
     "sources": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Hit"
      }
     },
     "collections": {
      "type": "object"
     }
    }
   },
   "AnalyzeRequest": {
    "type": "object",
    "required": [
     "text"
    ],
    "properties": {
     "text": {
      "type": "string"
     },
     "analyzer": {
      "enum": [
       "korean",
       "korean-no-bigrams",
       "bigram",
       "whitespace"
      ]
     }
    },
    "additionalProperties": false
   },
   "Analysis": {
    "type": "object",
    "required": [
     "analyzer",
     "terms"
    ],
    "properties": {
     "analyzer": {
      "type": "string"
     },
     "terms": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "text",
        "field",
        "position",
        "start",
        "end"
       ],
       "properties": {
        "text": {
         "type": "string"
        },
        "field": {
         "enum": [
          "word",
          "bigram"
         ]
        },
        "position": {
         "type": "integer"
        },
        "start": {
         "type": "integer",
         "description": "UTF-8 byte offset where the term's source begins"
        },
        "end": {
         "type": "integer",
         "description": "UTF-8 byte offset where it ends"
        }
       }
      }
     }
    }
   },
   "Stats": {
    "type": "object",
    "required": [
     "store",
     "seq",
     "collections"
    ],
    "properties": {
     "store": {
      "type": "string"
     },
     "seq": {
      "type": "integer"
     },
     "database_bytes": {
      "type": "integer"
     },
     "collections": {
      "type": "array",
      "items": {
       "type": "object"
      }
     }
    }
   },
   "BackupRequest": {
    "type": "object",
    "required": [
     "path"
    ],
    "properties": {
     "path": {
      "type": "string",
      "description": "absolute path on the server; never overwritten"
     }
    },
    "additionalProperties": false
   }
  },
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   },
   "chromaToken": {
    "type": "apiKey",
    "in": "header",
    "name": "X-Chroma-Token"
   }
  }
 },
 "security": [
  {},
  {
   "bearer": []
  },
  {
   "chromaToken": []
  }
 ],
 "paths": {
  "/healthz": {
   "get": {
    "summary": "Liveness for probes (no token needed)",
    "tags": [
     "kohybrid"
    ],
    "operationId": "healthz",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "const": "ok"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "summary": "This document",
    "tags": [
     "kohybrid"
    ],
    "operationId": "openapi",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/heartbeat": {
   "get": {
    "summary": "Heartbeat",
    "tags": [
     "chroma"
    ],
    "operationId": "heartbeat",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "nanosecond heartbeat"
         ],
         "properties": {
          "nanosecond heartbeat": {
           "type": "integer"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/version": {
   "get": {
    "summary": "Server version",
    "tags": [
     "chroma"
    ],
    "operationId": "version",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/healthcheck": {
   "get": {
    "summary": "Health check",
    "tags": [
     "chroma"
    ],
    "operationId": "healthcheck",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/auth/identity": {
   "get": {
    "summary": "Identity (chromadb's start-up handshake)",
    "tags": [
     "chroma"
    ],
    "operationId": "identity",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "user_id"
         ],
         "properties": {
          "user_id": {
           "type": "string"
          },
          "tenant": {
           "type": "string"
          },
          "databases": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/pre-flight-checks": {
   "get": {
    "summary": "Batch limit and base64 support for writes",
    "tags": [
     "chroma"
    ],
    "operationId": "preflight",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "max_batch_size",
          "supports_base64_encoding"
         ],
         "properties": {
          "max_batch_size": {
           "type": "integer"
          },
          "supports_base64_encoding": {
           "type": "boolean"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}": {
   "get": {
    "summary": "A tenant (only default_tenant exists)",
    "tags": [
     "chroma"
    ],
    "operationId": "getTenant",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "name"
         ],
         "properties": {
          "name": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}": {
   "get": {
    "summary": "A database (only default_database exists)",
    "tags": [
     "chroma"
    ],
    "operationId": "getDatabase",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "id",
          "name",
          "tenant"
         ]
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections": {
   "get": {
    "summary": "List collections in creation order",
    "tags": [
     "chroma"
    ],
    "operationId": "listCollections",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "limit",
      "in": "query",
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     },
     {
      "name": "offset",
      "in": "query",
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/Collection"
         }
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Create a collection (or get it, with get_or_create); the dimension is fixed by the first vectors",
    "tags": [
     "chroma"
    ],
    "operationId": "createCollection",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateCollection"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Collection"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections_count": {
   "get": {
    "summary": "Number of collections",
    "tags": [
     "chroma"
    ],
    "operationId": "countCollections",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "integer"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/by-id/{collection}": {
   "get": {
    "summary": "A collection by UUID",
    "tags": [
     "chroma"
    ],
    "operationId": "getCollectionByID",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Collection"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}": {
   "get": {
    "summary": "A collection by name",
    "tags": [
     "chroma"
    ],
    "operationId": "getCollection",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection name",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Collection"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "delete": {
    "summary": "Delete a collection by name",
    "tags": [
     "chroma"
    ],
    "operationId": "deleteCollection",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection name",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "put": {
    "summary": "Rename and/or replace the metadata of a collection (by UUID)",
    "tags": [
     "chroma"
    ],
    "operationId": "modifyCollection",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ModifyCollection"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/add": {
   "post": {
    "summary": "Add records; existing ids are left as they are",
    "tags": [
     "chroma"
    ],
    "operationId": "add",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Write"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/upsert": {
   "post": {
    "summary": "Insert new ids, merge into existing ones",
    "tags": [
     "chroma"
    ],
    "operationId": "upsert",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Write"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/update": {
   "post": {
    "summary": "Merge into existing records; unknown ids are skipped",
    "tags": [
     "chroma"
    ],
    "operationId": "update",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Write"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/get": {
   "post": {
    "summary": "Records by ids and/or filters",
    "tags": [
     "chroma"
    ],
    "operationId": "get",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Get"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GetResult"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/query": {
   "post": {
    "summary": "Dense nearest neighbours with Chroma's distances",
    "tags": [
     "chroma"
    ],
    "operationId": "query",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Query"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/QueryResult"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/delete": {
   "post": {
    "summary": "Delete records by ids and/or filters",
    "tags": [
     "chroma"
    ],
    "operationId": "delete",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Delete"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "deleted": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}/count": {
   "get": {
    "summary": "Records in a collection",
    "tags": [
     "chroma"
    ],
    "operationId": "count",
    "parameters": [
     {
      "name": "tenant",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_tenant"
     },
     {
      "name": "database",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "example": "default_database"
     },
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection UUID",
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "integer"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/kohybrid/v1/collections/{collection}/search": {
   "post": {
    "summary": "Hybrid search by text and/or vector: each hit's fused score and its rank and score in each retriever",
    "tags": [
     "kohybrid"
    ],
    "operationId": "search",
    "parameters": [
     {
      "name": "collection",
      "in": "path",
      "required": true,
      "description": "A collection name",
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Search"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SearchResult"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/kohybrid/v1/generation-context": {
   "post": {
    "summary": "k examples and m sources for a category's text, in one request",
    "tags": [
     "kohybrid"
    ],
    "operationId": "generationContext",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/GenerationContextRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GenerationContext"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/kohybrid/v1/analyze": {
   "post": {
    "summary": "The terms the analyzer makes of a text",
    "tags": [
     "kohybrid"
    ],
    "operationId": "analyze",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/AnalyzeRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Analysis"
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/kohybrid/v1/stats": {
   "get": {
    "summary": "Collections, counts, index snapshot freshness",
    "tags": [
     "kohybrid"
    ],
    "operationId": "stats",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Stats"
        }
       }
      }
     }
    }
   }
  },
  "/kohybrid/v1/backup": {
   "post": {
    "summary": "Back the store up to one file on the server (SQLite online backup)",
    "tags": [
     "kohybrid"
    ],
    "operationId": "backup",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BackupRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "path": {
           "type": "string"
          },
          "bytes": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "A problem with the request, named in the message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  }
 }
}
"""#
}
