/** Olares Service Provider access and integration credentials. */
module io.olares.secrets.provider {
  requires transitive io.olares.secrets.api;
}
