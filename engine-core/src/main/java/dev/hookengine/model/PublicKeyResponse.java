package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An organization's Ed25519 public key for {@code v1a} signatures, PEM-encoded (spec: {@code PublicKeyResponse}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicKeyResponse(@JsonProperty("public_key") String publicKey, String algorithm, String issuer) {}
