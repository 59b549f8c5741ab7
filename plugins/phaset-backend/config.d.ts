export interface Config {
  /** Configuration of the Phaset plugin. */
  phaset?: {
    /** Organisations whose Records this Backstage holds (Phaset's ORG_ID). */
    organizations?: Array<{
      /** The ORG_ID used in integration URLs. */
      id: string;
      /** Display name. */
      name?: string;
      /** Baseline used for Records without one; defaults to phaset.defaultBaseline. */
      defaultBaseline?: string;
    }>;
    /** Records registered from config, for bootstrap and demos. */
    records?: Array<{
      /** Phaset-style Record id: 10 characters [A-Za-z0-9]. */
      id: string;
      /** ORG_ID of the organisation that owns the Record. */
      organization: string;
      /** Catalog entity the Record describes, e.g. component:default/my-service. */
      entityRef?: string;
      /** Webhook tokens accepted for this Record. */
      tokens?: Array<{
        name: string;
        /** @visibility secret */
        token: string;
      }>;
      /**
       * Deployment environments that count towards DORA metrics, compared
       * case-insensitively. Default: production, prod. Other deployments are
       * stored with is_production false.
       */
      productionEnvironments?: string[];
      /** Label (or issue type) that marks incidents. Default: incident. */
      incidentLabel?: string;
    }>;
    /** Baselines: StandardLint configurations that CI fetches. */
    baselines?: Array<{
      id: string;
      name: string;
      /** StandardLint checks; severity `disabled` leaves a check out. */
      checks: Array<{
        name: string;
        severity: 'error' | 'warn' | 'disabled';
        path?: string;
      }>;
      defaultSeverity?: 'error' | 'warn';
      basePath?: string;
      ignorePaths?: string[];
    }>;
    /** Integration API (`/integration/*`) settings. */
    integration?: {
      /** Requests per minute accepted per Record before answering 429; 0 turns the limit off. Default 600. */
      requestsPerMinute?: number;
      /**
       * Failed authentications (wrong token, unknown Record) per minute, all
       * callers together, answered 401 before they get 429; they never spend
       * a Record's budget. 0 turns the limit off. Default 300.
       */
      failedAuthenticationsPerMinute?: number;
      /** Seconds a request body may take to arrive before a 408; 0 waits forever. Default 30. */
      bodyTimeoutSeconds?: number;
    };
    /** DORA and engineering metrics; see docs/metrics.md. */
    metrics?: {
      /** Tier thresholds; each key defaults to the DORA 2023 clusters. */
      tiers?: {
        /** Median lead time (seconds) below which elite, high, medium apply. */
        leadTimeSeconds?: number[];
        /** Change failure rate at or below which elite, high, medium apply. */
        changeFailureRate?: number[];
        /** Median recovery time (seconds) below which elite, high, medium apply. */
        recoverySeconds?: number[];
        /** Median deployment days per week at or above which elite, high apply. */
        deploymentDaysPerWeek?: number[];
        /** Deployment days per 30 days at or above which medium applies. */
        deploymentDaysPerMonth?: number;
      };
    };
    /** The Health Score and Reviews; see docs/health.md. */
    health?: {
      review?: {
        /** Replaces the default template (30 questions); ids must be unique. */
        questions?: Array<{
          id: string;
          /** Architecture, Development or Operations. */
          area: string;
          text: string;
        }>;
      };
      /** Lowest score of each grade; below E is F. Default A 90, B 80, C 70, D 60, E 50. */
      grades?: { A?: number; B?: number; C?: number; D?: number; E?: number };
      /** A Review older than this many days counts half. Default 180. */
      reviewMaxAgeDays?: number;
      /** Days up to now whose deployments, changes and incidents count for completeness. Default 90. */
      telemetryWindowDays?: number;
    };
    /** Id of the Baseline used when an organisation names none. */
    defaultBaseline?: string;
    /** Read by the example permission policy (PhasetOwnerPolicy); see docs/permissions.md. */
    permissions?: {
      /** Entity refs (groups or users) whose members may do everything. Default [group:default/admins]. */
      adminGroups?: string[];
    };
  };
}
