/** The olares-secrets command line tool. */
module io.olares.secrets.cli {
  requires io.olares.secrets.api;
  requires io.olares.secrets.testing;
  requires io.olares.secrets.vault;
  requires io.olares.secrets.provider;
  requires io.olares.secrets.infisical;
  requires io.olares.secrets.k8s;
  requires info.picocli;

  opens io.olares.secrets.cli to
      info.picocli;
}
