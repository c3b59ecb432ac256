package dev.custos.store;

import java.util.regex.Pattern;

/** Renders JDBC URLs for logs and errors without the credentials they may carry. */
public final class JdbcUrls {
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey|user)=)[^&;]*");
  private static final Pattern USERINFO = Pattern.compile("(//)[^/@]*@");

  private JdbcUrls() {}

  /** The URL with password-like query parameters and any user-info part replaced by "***". */
  public static String withoutSecrets(String url) {
    if (url == null) {
      return null;
    }
    String s = SECRET_PARAM.matcher(url).replaceAll("$1***");
    return USERINFO.matcher(s).replaceAll("$1***@");
  }
}
