update t set a = 1;

  COMMIT;
update t set b = 2;
