/**
 * The contracts of the text2code SDK: values (pairs, token sequences), tokenizers, modality routing
 * and the exception hierarchy. Implementations live in the other modules; this package has no
 * third-party dependency.
 */
package dev.text2code.api;
