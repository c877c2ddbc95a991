package io.olares.secrets.infisical.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;

/**
 * A non-2xx answer of Infisical in its {@code {statusCode, message, error}} shape, classified. The
 * {@code message} may be a list of validation issues ({@code ValidationFailure}); it is flattened
 * to {@code field: problem; ...}. Server messages name fields and resources, never values; they are
 * still cut to 300 characters before they reach an exception.
 */
public record ApiError(int status, String message, String error, Kind kind) {

  /** What the answer means for the caller. */
  public enum Kind {
    /** 400 "Secret already exist". */
    ALREADY_EXISTS,
    /** 404 "Secret not found" or a missing version. */
    SECRET_NOT_FOUND,
    /** 404 "Folder not found ..." (also an unknown environment) or a missing parent folder. */
    FOLDER_NOT_FOUND,
    /** 404 for an environment the project does not have. */
    ENVIRONMENT_NOT_FOUND,
    /** 404 or 400 for a project id or slug that does not exist. */
    PROJECT_NOT_FOUND,
    /** 404 "Route ... not found": the server does not have this endpoint. */
    ROUTE_NOT_FOUND,
    /** Any other 404. */
    NOT_FOUND,
    /** 401, or 403 {@code TokenError}: the access token is missing, invalid, expired or revoked. */
    TOKEN_REJECTED,
    /** 403 other than a token error: the identity lacks a permission. */
    FORBIDDEN,
    /** A validation failure or bad request: our request did not fit the server's schema. */
    INVALID_REQUEST,
    /** 413. */
    TOO_LARGE,
    /** 429 or 5xx. */
    SERVER_BUSY,
    /** Anything else. */
    OTHER
  }

  private static final int MAX_MESSAGE = 300;

  /** Parses an error answer; a body that is not the expected JSON still yields an error. */
  public static ApiError parse(int status, byte[] body) {
    String message = "";
    String error = "";
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node != null && node.isObject()) {
        message = flatten(node.get("message"));
        error = node.path("error").asText("");
      }
    } catch (IOException e) {
      message = "(answer is not JSON)";
    }
    return new ApiError(status, cut(message), cut(error), classify(status, message, error));
  }

  private static String flatten(JsonNode message) {
    if (message == null || message.isNull()) {
      return "";
    }
    if (!message.isArray()) {
      return message.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode issue : message) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      StringBuilder path = new StringBuilder();
      for (JsonNode p : issue.path("path")) {
        path.append(path.length() == 0 ? "" : ".").append(p.asText());
      }
      sb.append(path.length() == 0 ? "request" : path).append(": ");
      sb.append(issue.path("message").asText(issue.toString()));
    }
    return sb.toString();
  }

  private static Kind classify(int status, String message, String error) {
    String m = message.toLowerCase(Locale.ROOT);
    if (status == 401 && error.equals("ValidationFailure") || status == 422) {
      return Kind.INVALID_REQUEST;
    }
    if (status == 401 || status == 403 && error.equals("TokenError")) {
      return Kind.TOKEN_REJECTED;
    }
    if (status == 403) {
      return Kind.FORBIDDEN;
    }
    if (status == 400 && m.contains("already exist")) {
      return Kind.ALREADY_EXISTS;
    }
    if (status == 400 && m.startsWith("no project found")) {
      return Kind.PROJECT_NOT_FOUND;
    }
    if (status == 400) {
      return Kind.INVALID_REQUEST;
    }
    if (status == 404) {
      if (m.startsWith("route ")) {
        return Kind.ROUTE_NOT_FOUND;
      }
      if (m.contains("folder")) {
        return Kind.FOLDER_NOT_FOUND;
      }
      if (m.startsWith("environment")) {
        return Kind.ENVIRONMENT_NOT_FOUND;
      }
      if (m.startsWith("project")) {
        return Kind.PROJECT_NOT_FOUND;
      }
      if (m.contains("secret")) {
        return Kind.SECRET_NOT_FOUND;
      }
      return Kind.NOT_FOUND;
    }
    if (status == 413) {
      return Kind.TOO_LARGE;
    }
    if (status == 429 || status >= 500) {
      return Kind.SERVER_BUSY;
    }
    return Kind.OTHER;
  }

  private static String cut(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }

  /** {@code 404 NotFound: Secret not found}, for messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(status);
    if (!error.isEmpty()) {
      sb.append(' ').append(error);
    }
    if (!message.isEmpty()) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }
}
