select 1;
\gset other
select 2;
