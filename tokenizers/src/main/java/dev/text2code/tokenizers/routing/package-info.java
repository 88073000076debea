/** Modality routers (none, partial, full embedding separation) and their JSON files. */
package dev.text2code.tokenizers.routing;
